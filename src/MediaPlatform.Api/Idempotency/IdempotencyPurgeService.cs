using MediaPlatform.Application.Abstractions;

namespace MediaPlatform.Api.Idempotency;

/// <summary>Deletes expired idempotency keys once an hour, so the table holds only the retention window.</summary>
internal sealed partial class IdempotencyPurgeService(IIdempotencyStore store, TimeProvider time, ILogger<IdempotencyPurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        try
        {
            do
            {
                await PurgeAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PurgeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var purged = await store.PurgeExpiredAsync(time.GetUtcNow(), cancellationToken);
            if (purged > 0)
            {
                LogPurged(logger, purged);
            }
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            LogFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} expired idempotency keys")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not purge expired idempotency keys; will try again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
