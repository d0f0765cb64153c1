using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using Microsoft.EntityFrameworkCore;
using Npgsql;

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
                Job? job = null;
                while (job is null)
                {
                    var candidate = await ClaimCandidateAsync(state.now, full, ct);
                    if (candidate is null)
                    {
                        // Either nothing is due, or every due job of the tenant chosen was being claimed by others.
                        if (await FairestTenantAsync(state.now, full, ct) is not { } busyTenant)
                        {
                            await transaction.CommitAsync(ct);
                            return null;
                        }

                        full.Add(busyTenant);
                        continue;
                    }

                    if (await TenantHasRoomAsync(candidate.TenantId, ct))
                    {
                        job = candidate;
                    }
                    else
                    {
                        // At its limit (or another claimer is deciding for it right now): skip the tenant this time.
                        db.Entry(candidate).State = EntityState.Detached;
                        full.Add(candidate.TenantId.Value);
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
    /// The fair pick, in one statement: first the tenant (without locking anything): for each tenant with room under
    /// its <c>max_concurrent_jobs</c>, its most urgent due job (one index probe per tenant), and among those the
    /// highest priority, then the tenant running the fewest jobs now, then the oldest. Then that tenant's most urgent
    /// due job that no other claimer holds (<c>FOR UPDATE SKIP LOCKED</c>), so concurrent claimers of one tenant take
    /// successive jobs instead of retrying. A tenant with a backlog of thousands cannot starve another's single job.
    /// </summary>
    private async Task<Job?> ClaimCandidateAsync(DateTimeOffset now, List<Guid> skipTenants, CancellationToken ct)
    {
        var rows = await db.Jobs
            .FromSqlRaw(
                $"""
                SELECT j.*, j.xmin FROM job AS j
                WHERE j.tenant_id = ({FairestTenantSql})
                  AND j.status = 'queued' AND j.run_after <= @now
                ORDER BY j.priority DESC, j.run_after, j.id
                LIMIT 1
                FOR UPDATE SKIP LOCKED
                """,
                new NpgsqlParameter("now", now),
                new NpgsqlParameter("skip", skipTenants.ToArray()))
            .IgnoreQueryFilters() // the queue serves every tenant
            .ToListAsync(ct);
        return rows is [var job] ? job : null;
    }

    private async Task<Guid?> FairestTenantAsync(DateTimeOffset now, List<Guid> skipTenants, CancellationToken ct)
    {
        var found = await db.Database
            .SqlQueryRaw<Guid?>($"SELECT ({FairestTenantSql}) AS \"Value\"", new NpgsqlParameter("now", now), new NpgsqlParameter("skip", skipTenants.ToArray()))
            .ToListAsync(ct);
        return found is [{ } id] ? id : null;
    }

    /// <summary>The tenant whose turn it is (see <see cref="ClaimCandidateAsync"/>), as a scalar subquery over @now and @skip.</summary>
    private const string FairestTenantSql = """
        SELECT t.id FROM tenant AS t
        CROSS JOIN LATERAL (
            SELECT count(*) AS running FROM job AS r WHERE r.tenant_id = t.id AND r.status = 'running') AS busy
        CROSS JOIN LATERAL (
            SELECT q.priority, q.run_after, q.id FROM job AS q
            WHERE q.tenant_id = t.id AND q.status = 'queued' AND q.run_after <= @now
            ORDER BY q.priority DESC, q.run_after, q.id
            LIMIT 1) AS head
        WHERE (t.max_concurrent_jobs IS NULL OR busy.running < t.max_concurrent_jobs)
          AND NOT (t.id = ANY(@skip))
        ORDER BY head.priority DESC, busy.running, head.run_after, head.id
        LIMIT 1
        """;

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
