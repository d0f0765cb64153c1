using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using MediatR;

namespace MediaPlatform.Application.Jobs.GetQueue;

/// <summary>The queue as an operator sees it: every tenant's with an admin key, the caller's tenant's otherwise.</summary>
public sealed record GetQueueQuery : IQuery<Result<QueueDto>>;

public sealed record QueueDto
{
    /// <summary><c>all</c> (an admin key: every tenant) or <c>tenant</c> (the caller's jobs only).</summary>
    public required string Scope { get; init; }

    /// <summary>Jobs by state: queued (due), scheduled (waiting for a retry's backoff), running.</summary>
    public required QueueDepthDto Depth { get; init; }

    public required IReadOnlyList<QueuePriorityDto> ByPriority { get; init; }

    /// <summary>Seconds the oldest due job has waited; null when none waits.</summary>
    public double? OldestQueuedAgeSeconds { get; init; }

    /// <summary>Workers holding a job, with the job and their last write to it (claim, progress or heartbeat). Idle workers hold no lease and are not listed.</summary>
    public required IReadOnlyList<QueueWorkerDto> Workers { get; init; }

    public required QueueThroughputDto Throughput { get; init; }

    /// <summary>
    /// The worker processes alive, idle ones too, with their loops, start, last presence write and jobs held (an admin
    /// key only; empty for a tenant's key: processes are shared by every tenant).
    /// </summary>
    public required IReadOnlyList<QueueProcessDto> Processes { get; init; }

    public DateTimeOffset At { get; init; }
}

public sealed record QueueDepthDto(long Queued, long Scheduled, long Running);

public sealed record QueuePriorityDto(int Priority, long Queued, long Scheduled, long Running);

public sealed record QueueWorkerDto(string Worker, Guid JobId, string? Step, int Progress, DateTimeOffset LastHeartbeat, DateTimeOffset LeaseExpiresAt);

public sealed record QueueProcessDto(string Id, string Host, int Pid, int JobLoops, int PartLoops, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt, long RunningJobs);

/// <summary>Jobs that finished in the last minute, and their rate.</summary>
public sealed record QueueThroughputDto(int WindowSeconds, long Succeeded, long Failed, double PerSecond);

internal sealed class GetQueueHandler(IQueueStatistics statistics, ICurrentTenant tenant) : IRequestHandler<GetQueueQuery, Result<QueueDto>>
{
    public async Task<Result<QueueDto>> Handle(GetQueueQuery request, CancellationToken cancellationToken)
    {
        var all = tenant.Scopes.Contains(ApiScopes.Admin, StringComparer.Ordinal);
        var snapshot = await statistics.GetAsync(all ? null : tenant.RequiredTenantId, cancellationToken);
        return new QueueDto
        {
            Scope = all ? "all" : "tenant",
            Depth = new QueueDepthDto(
                snapshot.ByPriority.Sum(p => p.Queued), snapshot.ByPriority.Sum(p => p.Scheduled), snapshot.ByPriority.Sum(p => p.Running)),
            ByPriority = [.. snapshot.ByPriority.Select(p => new QueuePriorityDto(p.Priority, p.Queued, p.Scheduled, p.Running))],
            OldestQueuedAgeSeconds = snapshot.OldestQueuedAgeSeconds,
            Workers = [.. snapshot.Running.Select(r => new QueueWorkerDto(r.Worker, r.JobId, r.Step, r.Progress, r.LastHeartbeat, r.LeaseExpiresAt))],
            Throughput = new QueueThroughputDto(
                60, snapshot.SucceededLastMinute, snapshot.FailedLastMinute, Math.Round((snapshot.SucceededLastMinute + snapshot.FailedLastMinute) / 60.0, 3)),
            Processes = [.. snapshot.Processes.Select(p => new QueueProcessDto(p.Id, p.Host, p.Pid, p.JobLoops, p.PartLoops, p.StartedAt, p.LastSeenAt, p.RunningJobs))],
            At = snapshot.At,
        };
    }
}
