using System.ComponentModel.DataAnnotations;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>The <c>Queue</c> configuration section: workers, leases, polling and retries.</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Queue";

    /// <summary>Jobs this process runs at once (worker loops).</summary>
    [Range(0, 64)]
    public int WorkerCount { get; set; } = 2;

    /// <summary>
    /// Jobs a process claims beyond its free loops, to have the next ones at hand when they free up (a queue of short
    /// jobs: the claims then carry more jobs each). A prefetched job is leased (running) while it waits, so keep it 0
    /// for long jobs (transcriptions), which another worker could start meanwhile.
    /// </summary>
    [Range(0, 1000)]
    public int Prefetch { get; set; }

    /// <summary>How long a claim holds a job without a heartbeat; a crashed worker's job returns to the queue after it.</summary>
    [Range(2, 3600)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>How often a worker renews its lease (well under <see cref="LeaseSeconds"/>).</summary>
    [Range(1, 600)]
    public int HeartbeatSeconds { get; set; } = 10;

    /// <summary>Polling fallback when no LISTEN/NOTIFY wake-up arrives.</summary>
    [Range(1, 600)]
    public int PollSeconds { get; set; } = 5;

    /// <summary>How often expired leases are looked for.</summary>
    [Range(1, 600)]
    public int ReaperSeconds { get; set; } = 5;

    /// <summary>Backoff of the first automatic retry; doubles per attempt (with jitter) up to <see cref="RetryMaxSeconds"/>.</summary>
    [Range(0, 3600)]
    public double RetryBaseSeconds { get; set; } = 5;

    [Range(0, 86400)]
    public double RetryMaxSeconds { get; set; } = 300;

    /// <summary>
    /// Longest a read of a queued or finished job is served again to <c>GET /api/v1/jobs/{id}</c> (a change announced
    /// on <c>job_events</c> ends it at once; this bounds the rest). 0 reads the database every time. docs/adr/0026.
    /// </summary>
    [Range(0, 3600)]
    public double JobSnapshotSeconds { get; set; } = 2;

    /// <summary>Least time between two progress writes of one job.</summary>
    [Range(0, 60000)]
    public int ProgressIntervalMilliseconds { get; set; } = 500;
}
