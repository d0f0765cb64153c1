using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Transcriptions;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Persistence.Repositories;

internal sealed class TranscriptionRepository(MediaPlatformDbContext db) : ITranscriptionRepository
{
    public void Add(Transcription transcription) => db.Transcriptions.Add(transcription);

    public void AddRevision(TranscriptionRevision revision) => db.TranscriptionRevisions.Add(revision);

    public Task<TranscriptionRevision?> GetRevisionAsync(TranscriptionId id, int revision, CancellationToken cancellationToken = default) =>
        db.TranscriptionRevisions.SingleOrDefaultAsync(r => r.TranscriptionId == id && r.Revision == revision, cancellationToken);

    public Task<Transcription?> GetAsync(TranscriptionId id, CancellationToken cancellationToken = default) =>
        db.Transcriptions.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);

    public Task<Transcription?> GetByJobAsync(JobId jobId, CancellationToken cancellationToken = default) =>
        db.Transcriptions.SingleOrDefaultAsync(t => t.JobId == jobId, cancellationToken);

    public Task<Transcription?> GetLatestForMediaAsync(MediaAssetId mediaAssetId, CancellationToken cancellationToken = default) =>
        db.Transcriptions.Where(t => t.MediaAssetId == mediaAssetId).OrderByDescending(t => t.CreatedAt).FirstOrDefaultAsync(cancellationToken);
}
