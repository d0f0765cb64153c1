using System.Diagnostics;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Telemetry;

namespace MediaPlatform.Application.Processing.Chunking;

/// <summary>
/// Decodes one queued part of a long recording (<see cref="ClaimedPart"/>), in whichever worker process claimed it:
/// its WAV is copied from the blob store into a scratch folder of its own, decoded by the job's engine with the job's
/// vocabulary, and the folder
/// removed. Failures are classified like the job's (<see cref="MediaProcessingException.IsTransient"/>).
/// </summary>
public sealed class PartDecoder(ITranscriptionEngineCatalog engines, IMediaFiles files, IBlobStore blobs)
{
    public async Task<EngineTranscript> DecodeAsync(ClaimedPart part, IProgress<double> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(part);
        // In the trace of the request that submitted the part's job, whichever process decodes it.
        using var activity = PlatformTelemetry.Source.StartActivity(
            "job.part", ActivityKind.Consumer, ActivityContext.TryParse(part.TraceParent, null, out var parent) ? parent : default);
        activity?.SetTag(PlatformTelemetry.JobIdTag, part.JobId.Value.ToString());
        activity?.SetTag(PlatformTelemetry.TenantIdTag, part.TenantId.Value.ToString());
        activity?.SetTag("mediaplatform.part.index", part.Index);
        activity?.SetTag("mediaplatform.part.attempt", part.Attempt);
        var engine = engines.Find(part.Engine)
            ?? throw new MediaProcessingException(
                "engine.unknown", $"There is no transcription engine '{part.Engine}' on this worker. Available: {string.Join(", ", engines.Names)}.", isTransient: false);
        using var scratch = files.CreateScratchFolder();
        // Named .wav: pocketsphinx_continuous skips the RIFF header only for files with that extension (it would
        // decode the header's 44 bytes as sound otherwise).
        var path = Path.Combine(scratch.Path, "part.wav");
        try
        {
            await blobs.CopyToFileAsync(part.BlobKey, path, cancellationToken);
        }
        catch (FileNotFoundException ex)
        {
            throw new MediaProcessingException("part.missing", "A part of the recording is missing from the store.", isTransient: false, ex) { Detail = ex.Message };
        }

        using var hints = TranscriptionHints.Use(part.Vocabulary);
        return await EngineRuns.TranscribeAsync(engine, path, part.DecodeDuration, part.LeadIn, part.Language, progress, cancellationToken);
    }
}
