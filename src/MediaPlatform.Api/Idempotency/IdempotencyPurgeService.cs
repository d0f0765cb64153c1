using MediaPlatform.Application.Abstractions;
using MediaPlatform.Infrastructure.Reliability;

namespace MediaPlatform.Api.Idempotency;

/// <summary>Deletes expired idempotency keys once an hour, so the table holds only the retention window.</summary>
internal sealed partial class IdempotencyPurgeService(IIdempotencyStore store, TimeProvider time, ILogger<IdempotencyPurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var outage = new OutageLog(logger, "Idempotency purge", time);
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        try
        {
            do
            {
                await PurgeAsync(outage, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PurgeAsync(OutageLog outage, CancellationToken cancellationToken)
    {
        try
        {
            var purged = await store.PurgeExpiredAsync(time.GetUtcNow(), cancellationToken);
            outage.Succeeded();
            if (purged > 0)
            {
                LogPurged(logger, purged);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            outage.Failed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} expired idempotency keys")]
    private static partial void LogPurged(ILogger logger, int count);
}
