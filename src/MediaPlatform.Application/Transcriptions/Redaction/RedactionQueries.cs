using MapsterMapper;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Transcriptions;
using MediatR;

namespace MediaPlatform.Application.Transcriptions.Redaction;

/// <summary>The transcript as the engine wrote it, before PII redaction: kept only when the job asked (keepUnredacted).</summary>
public sealed record GetUnredactedTranscriptionQuery(Guid TranscriptionId) : IQuery<Result<TranscriptionDto>>;

/// <summary>A job's media audio with every redacted entity replaced by a tone (WAV), for jobs that redacted PII.</summary>
public sealed record GetRedactedAudioQuery(Guid JobId) : IQuery<Result<RedactedAudio>>;

/// <summary>The redacted audio, open for reading; disposing it deletes the file.</summary>
public sealed record RedactedAudio(Stream Content, string FileName);

internal sealed class RedactionQueryHandlers(
    IJobRepository jobs,
    ITranscriptionRepository transcriptions,
    IMediaAssetRepository media,
    IMediaFiles files,
    IAudioRedactionRenderer renderer,
    IMapper mapper)
    : IRequestHandler<GetUnredactedTranscriptionQuery, Result<TranscriptionDto>>, IRequestHandler<GetRedactedAudioQuery, Result<RedactedAudio>>
{
    public async Task<Result<TranscriptionDto>> Handle(GetUnredactedTranscriptionQuery request, CancellationToken cancellationToken)
    {
        var id = new TranscriptionId(request.TranscriptionId);
        var transcription = await transcriptions.GetAsync(id, cancellationToken);
        if (transcription is null)
        {
            return TranscriptionErrors.NotFound(id);
        }

        if (transcription.UnredactedSegments is not { } original)
        {
            return Error.NotFound(
                "transcription.unredacted_not_kept",
                $"Transcription '{id}' has no unredacted text: its job did not redact PII, or did not ask to keep the original (keepUnredacted).");
        }

        return mapper.Map<TranscriptionDto>(transcription) with
        {
            Text = string.Join(' ', original.Select(s => s.Text.Trim()).Where(t => t.Length > 0)),
            Segments = mapper.Map<IReadOnlyList<SegmentDto>>(original),
            Redactions = null,
        };
    }

    public async Task<Result<RedactedAudio>> Handle(GetRedactedAudioQuery request, CancellationToken cancellationToken)
    {
        var found = await TranscriptLookup.OfJobAsync(jobs, transcriptions, new JobId(request.JobId), cancellationToken);
        if (found.IsFailure)
        {
            return found.Error!;
        }

        var transcription = found.Value;
        if (transcription.Redactions is not { } spans)
        {
            return Error.Conflict("transcription.not_redacted", $"Job '{request.JobId}' did not redact PII (redactPii: true on submit), so there is no redacted audio.");
        }

        if (await media.ReadAsync(transcription.MediaAssetId, cancellationToken) is not { StorageKey: { } key })
        {
            return Error.Conflict("media.not_stored", "The job's media is no longer stored.");
        }

        var scratch = files.CreateScratchFolder();
        try
        {
            var source = await files.MaterializeAsync(key, scratch, cancellationToken);
            var output = Path.Combine(scratch.Path, "redacted.wav");
            await renderer.RenderAsync(source, spans, output, cancellationToken);
            return new RedactedAudio(new ScratchFileStream(output, scratch), $"redacted-{request.JobId}.wav");
        }
        catch
        {
            scratch.Dispose();
            throw;
        }
    }

    /// <summary>A file in a scratch folder that goes with it when the stream is disposed.</summary>
    private sealed class ScratchFileStream(string path, IScratchFolder scratch)
        : FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81_920, useAsync: true)
    {
        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                scratch.Dispose();
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            scratch.Dispose();
        }
    }
}
