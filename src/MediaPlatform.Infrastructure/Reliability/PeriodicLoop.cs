namespace MediaPlatform.Infrastructure.Reliability;

/// <summary>
/// The loop of every periodic background task (the lease reaper, the sweepers, the idempotency purge): run the work
/// on a fixed schedule until the host stops, and survive whatever it throws (an outage, EF giving up its retries, a
/// bug), reporting failures through an <see cref="OutageLog"/>. A faulted background service would stop the host.
/// </summary>
public static class PeriodicLoop
{
    /// <summary>Runs <paramref name="work"/> every <paramref name="every"/>, and once at once when <paramref name="runAtStart"/>.</summary>
    public static async Task RunAsync(
        TimeSpan every, bool runAtStart, OutageLog outage, TimeProvider time, Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(outage);
        ArgumentNullException.ThrowIfNull(work);
        using var timer = new PeriodicTimer(every, time);
        try
        {
            if (runAtStart)
            {
                await RunOnceAsync(outage, work, stoppingToken);
            }

            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(outage, work, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static async Task RunOnceAsync(OutageLog outage, Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        try
        {
            await work(stoppingToken);
            outage.Succeeded();
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            outage.Failed(ex);
        }
    }
}
