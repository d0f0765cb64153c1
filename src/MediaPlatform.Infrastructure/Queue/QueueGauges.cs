using System.Diagnostics.Metrics;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Telemetry;
using MediaPlatform.Infrastructure.Reliability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// The queue's gauges (<c>mediaplatform.queue.depth</c> by state, <c>mediaplatform.queue.oldest_age</c>,
/// <c>mediaplatform.queue.worker_processes</c>), from a snapshot of every tenant's queue taken every
/// <see cref="RefreshInterval"/> (a scrape never waits for the database, and a database that is away leaves the last
/// snapshot in place).
/// </summary>
internal sealed class QueueGauges(IQueueStatistics statistics, TimeProvider time, ILogger<QueueGauges> logger) : BackgroundService
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);
    private static QueueSnapshot? _latest;

    static QueueGauges()
    {
        PlatformTelemetry.Meter.CreateObservableGauge(
            "mediaplatform.queue.depth",
            () => Volatile.Read(ref _latest) is not { } s ? [] : (Measurement<long>[])
            [
                new(s.ByPriority.Sum(p => p.Queued), new KeyValuePair<string, object?>("state", "queued")),
                new(s.ByPriority.Sum(p => p.Scheduled), new KeyValuePair<string, object?>("state", "scheduled")),
                new(s.ByPriority.Sum(p => p.Running), new KeyValuePair<string, object?>("state", "running")),
            ],
            "{job}",
            "Jobs waiting (queued: due; scheduled: waiting for a retry's backoff) and running, every tenant.");
        PlatformTelemetry.Meter.CreateObservableGauge(
            "mediaplatform.queue.oldest_age",
            () => Volatile.Read(ref _latest) is { } s ? [new Measurement<double>(s.OldestQueuedAgeSeconds ?? 0)] : (Measurement<double>[])[],
            "s",
            "How long the oldest due job has waited (0 when none waits).");
        PlatformTelemetry.Meter.CreateObservableGauge(
            "mediaplatform.queue.worker_processes",
            () => Volatile.Read(ref _latest) is { } s ? [new Measurement<long>(s.Processes.Count)] : (Measurement<long>[])[],
            "{process}",
            "Worker processes alive (their presence rows not expired), every host: 0 means no job will run.");
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(RefreshInterval, runAtStart: true, new OutageLog(logger, "Queue gauges", time), time, RefreshAsync, stoppingToken);

    public async Task RefreshAsync(CancellationToken cancellationToken) =>
        Volatile.Write(ref _latest, await statistics.GetAsync(null, cancellationToken));
}
