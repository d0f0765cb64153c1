using MediaPlatform.Application.Abstractions;
using MediaPlatform.Infrastructure.Reliability;

namespace MediaPlatform.Api.Idempotency;

/// <summary>Deletes expired idempotency keys once an hour, so the table holds only the retention window.</summary>
internal sealed partial class IdempotencyPurgeService(IIdempotencyStore store, TimeProvider time, ILogger<IdempotencyPurgeService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(TimeSpan.FromHours(1), runAtStart: true, new OutageLog(logger, "Idempotency purge", time), time, PurgeAsync, stoppingToken);

    private async Task PurgeAsync(CancellationToken cancellationToken)
    {
        var purged = await store.PurgeExpiredAsync(time.GetUtcNow(), cancellationToken);
        if (purged > 0)
        {
            LogPurged(logger, purged);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} expired idempotency keys")]
    private static partial void LogPurged(ILogger logger, int count);
}
