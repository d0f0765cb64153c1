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

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Domain.Tenants.TenantId, (bool Limited, DateTimeOffset Until)> _limited = new();

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
                    .IgnoreQueryFilters() // the reaper serves every tenant
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
                var full = new List<Guid>();
                var taken = new List<Guid>();
                Job? job = null;
                while (job is null)
                {
                    var candidate = await NextCandidateAsync(state.now, full, taken, ct);
                    if (candidate is null)
                    {
                        await transaction.CommitAsync(ct);
                        return null;
                    }

                    if (!await TenantHasRoomAsync(candidate.TenantId, ct))
                    {
                        // At its limit (or another claimer is deciding for it right now): skip the tenant this time.
                        full.Add(candidate.TenantId.Value);
                        continue;
                    }

                    job = await LockAsync(candidate.Id, ct);
                    if (job is null)
                    {
                        taken.Add(candidate.Id.Value); // another claimer got it first
                    }
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

    /// <summary>
    /// The fair pick: for each tenant with room under its <c>max_concurrent_jobs</c>, its most urgent due job (one
    /// index probe per tenant); among those, the highest priority, then the tenant running the fewest jobs now, then
    /// the oldest. A tenant with a backlog of thousands therefore cannot starve another tenant's single job. Nothing
    /// is locked here (locking each tenant's head job would make every other claimer skip them all); the chosen job
    /// is locked next, and a job another claimer took meanwhile is passed over.
    /// </summary>
    private async Task<Job?> NextCandidateAsync(DateTimeOffset now, List<Guid> skipTenants, List<Guid> skipJobs, CancellationToken ct)
    {
        var tenants = skipTenants.ToArray();
        var jobs = skipJobs.ToArray();
        var rows = await db.Jobs
            .FromSql($"""
                SELECT j.* FROM tenant AS t
                CROSS JOIN LATERAL (
                    SELECT count(*) AS running FROM job AS r WHERE r.tenant_id = t.id AND r.status = 'running') AS busy
                CROSS JOIN LATERAL (
                    SELECT q.*, q.xmin FROM job AS q
                    WHERE q.tenant_id = t.id AND q.status = 'queued' AND q.run_after <= {now} AND NOT (q.id = ANY({jobs}))
                    ORDER BY q.priority DESC, q.run_after, q.id
                    LIMIT 1) AS j
                WHERE (t.max_concurrent_jobs IS NULL OR busy.running < t.max_concurrent_jobs)
                  AND NOT (t.id = ANY({tenants}))
                ORDER BY j.priority DESC, busy.running, j.run_after, j.id
                LIMIT 1
                """)
            .IgnoreQueryFilters() // the queue serves every tenant
            .AsNoTracking()
            .ToListAsync(ct);
        return rows is [var job] ? job : null;
    }

    /// <summary>Locks the chosen job if it is still queued and nobody else holds it; null otherwise.</summary>
    private async Task<Job?> LockAsync(JobId id, CancellationToken ct)
    {
        var rows = await db.Jobs
            .FromSql($"SELECT j.*, j.xmin FROM job AS j WHERE j.id = {id.Value} AND j.status = 'queued' FOR UPDATE SKIP LOCKED")
            .IgnoreQueryFilters()
            .ToListAsync(ct);
        return rows is [var job] ? job : null;
    }

    /// <summary>
    /// For a tenant with <c>max_concurrent_jobs</c>, counts its running jobs again under a transaction-scoped
    /// advisory lock on the tenant, so two claimers can never both take its last slot (the pick above counted with
    /// its own snapshot). Tenants without the limit take no lock; a tenant whose lock another claimer holds is
    /// skipped this time rather than waited for.
    /// </summary>
    private async Task<bool> TenantHasRoomAsync(Domain.Tenants.TenantId tenantId, CancellationToken ct)
    {
        // Whether a tenant has the limit is remembered for a few seconds, so unlimited tenants (most) cost no extra
        // round trip per claim; the limit itself is read again under the lock.
        var now = DateTimeOffset.UtcNow;
        if (_limited.TryGetValue(tenantId, out var known) && known.Until > now && !known.Limited)
        {
            return true;
        }

        var limit = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Limits.MaxConcurrentJobs).SingleOrDefaultAsync(ct);
        _limited[tenantId] = (limit is not null, now.AddSeconds(5));
        if (limit is null)
        {
            return true;
        }

        // Try, never wait: two claimers each holding one tenant's lock and waiting for the other's would deadlock.
        var id = tenantId.Value.ToString();
        var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock(hashtextextended({id}, 0)) AS \"Value\"").SingleAsync(ct);
        if (!locked)
        {
            return false;
        }

        var running = await db.Jobs.IgnoreQueryFilters().CountAsync(j => j.TenantId == tenantId && j.Status == JobStatus.Running, ct);
        return running < limit;
    }
}
