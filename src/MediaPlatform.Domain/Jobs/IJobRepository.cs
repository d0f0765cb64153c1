using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Media;

namespace MediaPlatform.Domain.Jobs;

/// <summary>Loads and stores <see cref="Job"/> aggregates; changes are committed by <see cref="IUnitOfWork"/>.</summary>
public interface IJobRepository
{
    void Add(Job job);

    void Remove(Job job);

    /// <summary>
    /// Resumes tracking a job an earlier unit of work loaded or saved, without reading it again: its changes are
    /// saved only if the row still has the version it had then (otherwise the save is a concurrency conflict).
    /// </summary>
    void Track(Job job);

    Task<Job?> GetAsync(JobId id, CancellationToken cancellationToken = default);

    /// <summary>For queries: a snapshot of the job that the unit of work does not track or save.</summary>
    Task<Job?> ReadAsync(JobId id, CancellationToken cancellationToken = default);

    /// <summary>Newest first, keyset paginated on (created_at, id).</summary>
    Task<Page<Job>> ListAsync(JobListFilter filter, int limit, KeysetCursor? after, CancellationToken cancellationToken = default);

    /// <summary>Every job of the media, tracked, for deleting them together with it.</summary>
    Task<IReadOnlyList<Job>> ListAllForMediaAsync(MediaAssetId mediaAssetId, CancellationToken cancellationToken = default);

    Task<bool> AnyActiveForMediaAsync(MediaAssetId mediaAssetId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Releases up to <paramref name="max"/> running jobs whose lease expired before <paramref name="now"/> (their worker
    /// crashed): back to the queue, or failed on their last attempt. Commits on its own; returns how many.
    /// </summary>
    Task<int> ReleaseExpiredLeasesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically claims the most urgent due queued job (highest priority, then earliest run-after) and starts it
    /// under a lease for <paramref name="worker"/>. Concurrent claimers skip each other's locked rows
    /// (<c>FOR UPDATE SKIP LOCKED</c>), so no job is ever handed to two workers. Commits on its own.
    /// </summary>
    Task<Job?> ClaimNextAsync(string worker, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to one job per entry of <paramref name="workers"/> (each entry the lease owner of one job, all
    /// different) in one transaction: the fairest tenant's most urgent due jobs first, as far as its limit allows, then
    /// the next tenant's. Each is started through <see cref="Job.Start"/>, as <see cref="ClaimNextAsync"/> does; the
    /// i-th job returned is leased to <c>workers[i]</c>. Fewer (or none) when fewer are due.
    /// </summary>
    Task<IReadOnlyList<Job>> ClaimBatchAsync(IReadOnlyList<string> workers, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancellationToken = default);
}
