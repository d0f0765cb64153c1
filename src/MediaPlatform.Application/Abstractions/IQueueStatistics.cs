using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Application.Abstractions;

/// <summary>What the queue looks like now, read in a few aggregate statements (for <c>GET /api/v1/queue</c> and the metrics).</summary>
public interface IQueueStatistics
{
    /// <summary>The queue of <paramref name="tenant"/>, or of every tenant when null.</summary>
    Task<QueueSnapshot> GetAsync(TenantId? tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// The 1-based place of a queued job among the due queued jobs of every tenant, by priority then due time (the
    /// order claims follow before tenant fairness); null when the job is not queued.
    /// </summary>
    Task<long?> PositionAsync(JobId job, CancellationToken cancellationToken = default);
}

public sealed record QueueSnapshot(
    IReadOnlyList<QueuePriorityDepth> ByPriority,
    double? OldestQueuedAgeSeconds,
    IReadOnlyList<RunningJob> Running,
    long SucceededLastMinute,
    long FailedLastMinute,
    DateTimeOffset At)
{
    /// <summary>The worker processes alive (every tenant's view only; empty for one tenant's).</summary>
    public IReadOnlyList<WorkerProcess> Processes { get; init; } = [];
}

/// <summary>
/// A worker process alive: its id (<c>host:pid</c>, the start of its leases' owners), its job and part loops, when it
/// started and last wrote its presence, and how many jobs it holds.
/// </summary>
public sealed record WorkerProcess(string Id, string Host, int Pid, int JobLoops, int PartLoops, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt, long RunningJobs);

/// <summary>Jobs of one priority: due and waiting, waiting for a retry's backoff (scheduled), and running.</summary>
public sealed record QueuePriorityDepth(int Priority, long Queued, long Scheduled, long Running);

/// <summary>A running job and the worker holding it: the worker's name (host:pid:loop) and when it last wrote the job (claim, progress or heartbeat).</summary>
public sealed record RunningJob(string Worker, Guid JobId, Guid TenantId, string? Step, int Progress, DateTimeOffset LastHeartbeat, DateTimeOffset LeaseExpiresAt);
