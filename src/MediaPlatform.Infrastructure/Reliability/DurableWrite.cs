namespace MediaPlatform.Infrastructure.Reliability;

/// <summary>
/// A write that ends a piece of work (a job's results or failure, a part's transcript) is retried through a database
/// outage, every second, until it is saved or refused; finished work is not thrown away because the database was
/// restarting. It gives up only when the host stops (the lease then runs out and the work runs again elsewhere).
/// </summary>
internal static class DurableWrite
{
    /// <summary>
    /// Runs <paramref name="write"/> until it returns (saved or refused); false when the host stopped first, after
    /// <paramref name="givenUp"/> is told why.
    /// </summary>
    public static async Task<bool> RunAsync(
        Func<Task<bool>> write, OutageLog outage, TimeProvider time, CancellationToken stoppingToken, Action<Exception>? givenUp = null)
    {
        while (true)
        {
            try
            {
                var saved = await write();
                outage.Succeeded();
                return saved;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    givenUp?.Invoke(ex);
                    return false;
                }

                outage.Failed(ex);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
