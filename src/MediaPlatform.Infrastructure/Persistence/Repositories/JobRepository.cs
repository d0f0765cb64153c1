using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Persistence.Repositories;

internal sealed class JobRepository(MediaPlatformDbContext db) : IJobRepository
{
    // The hottest read of the API (GET /jobs/{id}, polled by clients): compiled once, not tracked.
    private static readonly Func<MediaPlatformDbContext, JobId, CancellationToken, Task<Job?>> _read =
        EF.CompileAsyncQuery((MediaPlatformDbContext context, JobId id, CancellationToken _) =>
            context.Jobs.AsNoTracking().FirstOrDefault(j => j.Id == id));

    public void Add(Job job) => db.Jobs.Add(job);

    public void Remove(Job job) => db.Jobs.Remove(job);

    public void Track(Job job) => db.Jobs.Attach(job);

    public Task<Job?> GetAsync(JobId id, CancellationToken cancellationToken = default) =>
        db.Jobs.SingleOrDefaultAsync(j => j.Id == id, cancellationToken);

    public Task<Job?> ReadAsync(JobId id, CancellationToken cancellationToken = default) => _read(db, id, cancellationToken);

    public async Task<Page<Job>> ListAsync(JobListFilter filter, int limit, KeysetCursor? after, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

        var query = KeysetPagination.After(db.Jobs, "job", after).AsNoTracking();
        if (filter.Status is { } status)
        {
            query = query.Where(j => j.Status == status);
        }

        if (filter.Kind is { } kind)
        {
            query = query.Where(j => j.Kind == kind);
        }

        if (filter.MediaAssetId is { } mediaAssetId)
        {
            query = query.Where(j => j.MediaAssetId == mediaAssetId);
        }

        if (filter.CreatedAfter is { } createdAfter)
        {
            query = query.Where(j => j.CreatedAt >= createdAfter);
        }

        if (filter.CreatedBefore is { } createdBefore)
        {
            query = query.Where(j => j.CreatedAt < createdBefore);
        }

        var rows = await query
            .OrderByDescending(j => j.CreatedAt)
            .ThenByDescending(j => j.Id)
            .Take(limit + 1)
            .ToListAsync(cancellationToken);
        return KeysetPagination.ToPage(rows, limit, j => new KeysetCursor(j.CreatedAt, j.Id.Value));
    }

    public async Task<IReadOnlyList<Job>> ListAllForMediaAsync(MediaAssetId mediaAssetId, CancellationToken cancellationToken = default) =>
        await db.Jobs.Where(j => j.MediaAssetId == mediaAssetId).ToListAsync(cancellationToken);

    public Task<bool> AnyActiveForMediaAsync(MediaAssetId mediaAssetId, CancellationToken cancellationToken = default) =>
        db.Jobs.AnyAsync(
            j => j.MediaAssetId == mediaAssetId && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running),
            cancellationToken);

    public Task<int> ReleaseExpiredLeasesAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return strategy.ExecuteAsync(
            (now, max),
            async (_, state, ct) =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var expired = await db.Jobs
                    .FromSql($"""
                        SELECT j.*, j.xmin FROM job AS j
                        WHERE j.status = 'running' AND j.lease_expires_at <= {state.now}
                        ORDER BY j.lease_expires_at
                        LIMIT {state.max}
                        FOR UPDATE SKIP LOCKED
                        """)
                    .ToListAsync(ct);
                foreach (var job in expired)
                {
                    job.ReleaseExpiredLease(state.now);
                }

                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return expired.Count;
            },
            verifySucceeded: null,
            cancellationToken);
    }

    public Task<Job?> ClaimNextAsync(string worker, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);

        // The execution strategy retries the whole unit on a transient fault; the transaction makes the
        // row lock and the state change one atomic step.
        var strategy = db.Database.CreateExecutionStrategy();
        return strategy.ExecuteAsync(
            (worker, leaseDuration, now),
            async (_, state, ct) =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var candidates = await db.Jobs
                    .FromSql($"""
                        SELECT j.*, j.xmin FROM job AS j
                        WHERE j.status = 'queued' AND j.run_after <= {state.now}
                        ORDER BY j.priority DESC, j.run_after, j.id
                        LIMIT 1
                        FOR UPDATE SKIP LOCKED
                        """)
                    .ToListAsync(ct);
                if (candidates is not [var job])
                {
                    await transaction.CommitAsync(ct);
                    return null;
                }

                var started = job.Start(state.worker, state.now + state.leaseDuration, state.now);
                if (started.IsFailure)
                {
                    throw new InvalidOperationException($"A queued job could not be started: {started.Error!.Message}");
                }

                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                return job;
            },
            verifySucceeded: null,
            cancellationToken);
    }
}
