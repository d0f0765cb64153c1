using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MediaPlatform.Infrastructure.Persistence.Repositories;

internal sealed class JobRepository(MediaPlatformDbContext db, Queue.JobSnapshots? snapshots = null) : IJobRepository
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

    /// <summary>A snapshot for reading, from <see cref="Queue.JobSnapshots"/> when a recent read of a job that has not changed is there (the tenant filter applied to it as to the query).</summary>
    public async Task<Job?> ReadAsync(JobId id, CancellationToken cancellationToken = default)
    {
        if (snapshots is null)
        {
            return await _read(db, id, cancellationToken);
        }

        if (snapshots.TryGet(id, out var kept))
        {
            return db.Sees(kept.TenantId) ? kept : null;
        }

        var readAt = snapshots.BeginRead();
        try
        {
            var job = await _read(db, id, cancellationToken);
            if (job is not null)
            {
                snapshots.Keep(job, readAt);
            }

            return job;
        }
        finally
        {
            snapshots.EndRead();
        }
    }

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
                await transaction.CommitAsync(CancellationToken.None); // see ClaimAsync
                return expired.Count;
            },
            verifySucceeded: null,
            cancellationToken);
    }

    public async Task<Job?> ClaimNextAsync(string worker, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        await ClaimBatchAsync([worker], leaseDuration, now, cancellationToken) is [var job] ? job : null;

    public async Task<IReadOnlyList<Job>> ClaimBatchAsync(
        IReadOnlyList<string> workers, TimeSpan leaseDuration, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentOutOfRangeException.ThrowIfZero(workers.Count);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration, TimeSpan.Zero);
        foreach (var worker in workers)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        }

        if (workers.Distinct(StringComparer.Ordinal).Count() != workers.Count)
        {
            throw new ArgumentException("Every job of a batch needs a lease owner of its own.", nameof(workers));
        }

        // The execution strategy retries the whole unit on a transient fault; the transaction makes the row locks
        // and the state changes one atomic step. The changes go out as one batch of statements (no savepoint).
        var asked = System.Diagnostics.Stopwatch.GetTimestamp();
        var savepoints = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            return await ClaimAsync(workers, leaseDuration, now, asked, cancellationToken);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = savepoints;
        }
    }

    private Task<IReadOnlyList<Job>> ClaimAsync(IReadOnlyList<string> workers, TimeSpan leaseDuration, DateTimeOffset now, long asked, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return strategy.ExecuteAsync(
            (workers, leaseDuration, now, asked),
            async (_, state, ct) =>
            {
                // A retry after a transient fault starts from nothing: the jobs a failed try started are not saved.
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var skip = new List<Guid>();
                var claimed = new List<Job>(state.workers.Count);
                while (claimed.Count < state.workers.Count)
                {
                    var candidates = await ClaimCandidatesAsync(state.now, skip, claimed, state.workers.Count - claimed.Count, ct);
                    if (candidates.Count == 0)
                    {
                        // Either nothing is due, or the due jobs left were being claimed by others: leave out the
                        // tenant whose turn it would be and look again (each round leaves one out, so this ends).
                        if (await FairestTenantAsync(state.now, skip, ct) is not { } busyTenant)
                        {
                            break;
                        }

                        skip.Add(busyTenant);
                        continue;
                    }

                    // The fair share of each tenant, as far as its limit (counted again under its lock) allows; what
                    // it leaves no room for stays queued, and that tenant is left out of the rest of this claim.
                    foreach (var tenant in candidates.GroupBy(j => j.TenantId).ToList())
                    {
                        var room = await TenantRoomAsync(tenant.Key, claimed.Count(j => j.TenantId == tenant.Key), ct);
                        var jobs = tenant.ToList();
                        foreach (var extra in jobs.Skip(room))
                        {
                            db.Entry(extra).State = EntityState.Detached;
                        }

                        if (jobs.Count > room)
                        {
                            skip.Add(tenant.Key.Value);
                        }
                    }

                    claimed.AddRange(candidates.Where(j => db.Entry(j).State != EntityState.Detached));
                }

                // A claim held up for a good part of its lease before its write (a cold process compiling these
                // queries, a lock) stamps the lease from the time of the write, not from when it was asked for: else
                // it could commit a lease that had already run out, which a reaper waiting on the rows returns at
                // once (the fault suite's kill step, with a 3 s lease, lost attempts so).
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(state.asked);
                var stamp = elapsed > state.leaseDuration / 4 ? state.now + elapsed : state.now;
                for (var i = 0; i < claimed.Count; i++)
                {
                    var started = claimed[i].Start(state.workers[i], stamp + state.leaseDuration, stamp);
                    if (started.IsFailure)
                    {
                        throw new InvalidOperationException($"A queued job could not be started: {started.Error!.Message}");
                    }
                }

                if (claimed.Count > 0)
                {
                    await db.SaveChangesAsync(ct);
                }

                // Once the work is done, the commit is not cancelled: a worker stopping in the middle of it had its
                // transaction cut and EF Core logged an error at every such shutdown (WorkerShutdownTests). The
                // statements before it still stop at once, and a transaction not committed took nothing.
                await transaction.CommitAsync(CancellationToken.None);
                return (IReadOnlyList<Job>)claimed;
            },
            verifySucceeded: null,
            cancellationToken);
    }

    /// <summary>
    /// The fair pick of up to <paramref name="limit"/> jobs, in one statement. For each tenant with room under its
    /// <c>max_concurrent_jobs</c>, its most urgent due jobs (one index scan per tenant), the n-th of them ranked as if
    /// the tenant already ran n - 1 more jobs than it does: so the batch goes by highest priority, then to the tenants
    /// running the fewest jobs, a job each in turn, then to the oldest, as that many single claims in a row would.
    /// Then those rows that no other claimer holds (<c>FOR UPDATE SKIP LOCKED</c>), in that order. A tenant with a
    /// backlog of thousands cannot starve another's single job, in a claim of one job or of a hundred.
    /// Jobs already locked by this claim (<paramref name="taken"/>, still queued until it saves) are left out and
    /// count as their tenant's running jobs. The picked ids are looked up as one array, never joined row by row: with
    /// the statistics of a table that had just filled up (the planner saw it empty), that join became a nested loop
    /// over every queued job for each picked one, 80 ms per claim of 40 where the lookup takes 2 (docs/adr/0025).
    /// </summary>
    private Task<List<Job>> ClaimCandidatesAsync(DateTimeOffset now, List<Guid> skipTenants, List<Job> taken, int limit, CancellationToken ct) =>
        db.Jobs
            .FromSqlRaw(
                ClaimSql,
                new NpgsqlParameter("now", now),
                new NpgsqlParameter("skip", skipTenants.ToArray()),
                new NpgsqlParameter("taken", taken.Select(j => j.Id.Value).ToArray()),
                new NpgsqlParameter("taken_tenants", taken.Select(j => j.TenantId.Value).ToArray()),
                new NpgsqlParameter("limit", limit),
                // Concurrent claimers rank the same jobs first: rank more than wanted, so one that finds the first
                // ones locked takes the next (the limit counts only the rows locked here).
                new NpgsqlParameter("pool", (limit * 2) + 8))
            .IgnoreQueryFilters() // the queue serves every tenant
            .ToListAsync(ct);

    /// <summary>
    /// The claim's statements are planned for the table as it is at each claim (docs/adr/0029). A pooled connection
    /// prepares them (ADR 0025), and PostgreSQL then caches a generic plan, made once for whatever size the table had:
    /// one cached while the queue was nearly empty read every queued job at each claim once thousands were queued
    /// (a 20,000-job burst ran at a third of the speed). Sent in the same round trip as the claim's first statement,
    /// it holds for the rest of the claim's transaction; planning a claim costs a fraction of a millisecond.
    /// </summary>
    internal const string CustomPlansSql = "SET LOCAL plan_cache_mode = force_custom_plan";

    /// <summary>What <see cref="ClaimCandidatesAsync"/> sends: the plan setting and the statement, one round trip (joined once, at compile time).</summary>
    private const string ClaimSql = CustomPlansSql + ";\n" + ClaimCandidatesSql;

    /// <summary>
    /// The statement of <see cref="ClaimCandidatesAsync"/> (parameters @now, @skip, @taken, @taken_tenants, @pool,
    /// @limit). Every scan of <c>job</c> in it reads about as many rows as the claim picks, whatever the statistics
    /// say (docs/adr/0029): a tenant's running jobs are counted on their partial index alone (the jobs this claim
    /// already took are counted from @taken_tenants: "running or one of these ids" read every job the tenant had),
    /// and the picked rows are looked up by id only: their status is checked as <c>IS TRUE</c>, which no index
    /// answers, because with statistics from a time when no job was queued the planner preferred reading every
    /// queued job off a status index to looking the ids up.
    /// </summary>
    internal const string ClaimCandidatesSql = """
                WITH tenants AS (
                    SELECT t.id, t.max_concurrent_jobs, busy.running + taken.n AS running FROM tenant AS t
                    CROSS JOIN LATERAL (
                        SELECT count(*) AS running FROM job AS r WHERE r.tenant_id = t.id AND r.status = 'running') AS busy
                    CROSS JOIN LATERAL (
                        SELECT count(*) AS n FROM unnest(@taken_tenants) AS k(tenant_id) WHERE k.tenant_id = t.id) AS taken
                    WHERE (t.max_concurrent_jobs IS NULL OR busy.running + taken.n < t.max_concurrent_jobs)
                      AND NOT (t.id = ANY(@skip))),
                ranked AS (
                    SELECT q.id, q.priority, q.run_after, tenants.running + q.n AS turn, tenants.max_concurrent_jobs
                    FROM tenants
                    CROSS JOIN LATERAL (
                        SELECT j.id, j.priority, j.run_after, row_number() OVER (ORDER BY j.priority DESC, j.run_after, j.id) AS n
                        FROM job AS j
                        WHERE j.tenant_id = tenants.id AND j.status = 'queued' AND j.run_after <= @now AND NOT (j.id = ANY(@taken))
                        ORDER BY j.priority DESC, j.run_after, j.id
                        LIMIT @pool) AS q
                    WHERE tenants.max_concurrent_jobs IS NULL OR tenants.running + q.n <= tenants.max_concurrent_jobs),
                picked AS (
                    SELECT id, row_number() OVER (ORDER BY priority DESC, turn, run_after, id) AS place FROM ranked
                    ORDER BY priority DESC, turn, run_after, id
                    LIMIT @pool),
                chosen AS MATERIALIZED (SELECT array_agg(id ORDER BY place) AS ids FROM picked)
                SELECT j.*, j.xmin FROM chosen, job AS j
                WHERE j.id = ANY(chosen.ids) AND (j.status = 'queued') IS TRUE
                ORDER BY array_position(chosen.ids, j.id)
                LIMIT @limit
                FOR UPDATE OF j SKIP LOCKED
                """;

    private async Task<Guid?> FairestTenantAsync(DateTimeOffset now, List<Guid> skipTenants, CancellationToken ct)
    {
        var found = await db.Database
            .SqlQueryRaw<Guid?>($"SELECT ({FairestTenantSql}) AS \"Value\"", new NpgsqlParameter("now", now), new NpgsqlParameter("skip", skipTenants.ToArray()))
            .ToListAsync(ct);
        return found is [{ } id] ? id : null;
    }

    /// <summary>The tenant whose turn it is for one job (see <see cref="ClaimCandidatesAsync"/>), as a scalar subquery over @now and @skip.</summary>
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
    /// How many more jobs the tenant may start: unbounded without <c>max_concurrent_jobs</c>; with it, the limit less the jobs this claim took and
    /// its running jobs, counted again under a transaction-scoped advisory lock on the tenant, so two claimers can
    /// never both take its last slot (the pick above counted with its own snapshot). Tenants without the limit take
    /// no lock; a tenant whose lock another claimer holds has no room this time rather than being waited for.
    /// </summary>
    private async Task<int> TenantRoomAsync(Domain.Tenants.TenantId tenantId, int takenInThisClaim, CancellationToken ct)
    {
        // Whether a tenant has the limit is remembered for a few seconds, so unlimited tenants (most) cost no extra
        // round trip per claim; the limit itself is read again under the lock.
        var now = DateTimeOffset.UtcNow;
        if (_limited.TryGetValue(tenantId, out var known) && known.Until > now && !known.Limited)
        {
            return int.MaxValue;
        }

        var limit = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Limits.MaxConcurrentJobs).SingleOrDefaultAsync(ct);
        _limited[tenantId] = (limit is not null, now.AddSeconds(5));
        if (limit is null)
        {
            return int.MaxValue;
        }

        // Try, never wait: two claimers each holding one tenant's lock and waiting for the other's would deadlock.
        var id = tenantId.Value.ToString();
        var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock(hashtextextended({id}, 0)) AS \"Value\"").SingleAsync(ct);
        if (!locked)
        {
            return 0;
        }

        var running = await db.Jobs.IgnoreQueryFilters().CountAsync(j => j.TenantId == tenantId && j.Status == JobStatus.Running, ct);
        return Math.Max(0, limit.Value - running - takenInThisClaim);
    }
}
