using MediaPlatform.Infrastructure.Reliability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Webhooks;

/// <summary>
/// Runs <see cref="WebhookDispatcher"/> rounds in every worker process: again at once while there is work, else every
/// <see cref="WebhookOptions.PollMilliseconds"/>; every 10 minutes it sweeps what is no longer needed.
/// </summary>
internal sealed class WebhookDispatcherService(
    WebhookDispatcher dispatcher, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookDispatcherService> logger) : BackgroundService
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Dispatch)
        {
            return;
        }

        var outage = new OutageLog(logger, "Webhook dispatcher", time);
        var nextSweep = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                if (time.GetUtcNow() >= nextSweep)
                {
                    await dispatcher.SweepAsync(stoppingToken);
                    nextSweep = time.GetUtcNow() + SweepInterval;
                }

                busy = await dispatcher.RunOnceAsync(stoppingToken);
                outage.Succeeded();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                outage.Failed(ex);
            }

            if (!busy)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.Value.PollMilliseconds), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
