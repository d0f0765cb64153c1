using MediaPlatform.Domain.Jobs;

namespace MediaPlatform.Domain.Transcriptions;

/// <summary>Stores <see cref="Transcription"/>s; at most one per job (a unique index guarantees it).</summary>
public interface ITranscriptionRepository
{
    void Add(Transcription transcription);

    Task<Transcription?> GetAsync(TranscriptionId id, CancellationToken cancellationToken = default);

    Task<Transcription?> GetByJobAsync(JobId jobId, CancellationToken cancellationToken = default);

    /// <summary>Keeps a revision an edit replaced.</summary>
    void AddRevision(TranscriptionRevision revision);

    /// <summary>An earlier revision (1 is the engine's output), or null.</summary>
    Task<TranscriptionRevision?> GetRevisionAsync(TranscriptionId id, int revision, CancellationToken cancellationToken = default);

    /// <summary>The newest transcription of the media, for analysis jobs.</summary>
    Task<Transcription?> GetLatestForMediaAsync(Media.MediaAssetId mediaAssetId, CancellationToken cancellationToken = default);
}
