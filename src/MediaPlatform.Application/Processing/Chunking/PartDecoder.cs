using MediaPlatform.Application.Abstractions;

namespace MediaPlatform.Application.Processing.Chunking;

/// <summary>
/// Decodes one queued part of a long recording (<see cref="ClaimedPart"/>), in whichever worker process claimed it:
/// its WAV is copied from the blob store into a scratch folder of its own, decoded by the job's engine, and the folder
/// removed. Failures are classified like the job's (<see cref="MediaProcessingException.IsTransient"/>).
/// </summary>
public sealed class PartDecoder(ITranscriptionEngineCatalog engines, IMediaFiles files)
{
    public async Task<EngineTranscript> DecodeAsync(ClaimedPart part, IProgress<double> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(part);
        var engine = engines.Find(part.Engine)
            ?? throw new MediaProcessingException(
                "engine.unknown", $"There is no transcription engine '{part.Engine}' on this worker. Available: {string.Join(", ", engines.Names)}.", isTransient: false);
        using var scratch = files.CreateScratchFolder();
        var path = await files.MaterializeAsync(part.BlobKey, scratch, cancellationToken);
        return await engine.TranscribeAsync(path, part.DecodeDuration, part.Language, progress, cancellationToken);
    }
}
