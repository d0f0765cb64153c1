using MediaPlatform.Domain.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MediaPlatform.Infrastructure.Reliability;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>Returns running jobs whose lease expired (their worker crashed or hung) to the queue, or fails them on their last attempt.</summary>
internal sealed partial class LeaseReaperService(IServiceScopeFactory scopes, IOptions<QueueOptions> options, TimeProvider time, ILogger<LeaseReaperService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var outage = new OutageLog(logger, "Lease reaper", time);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ReaperSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var released = await scope.ServiceProvider.GetRequiredService<IJobRepository>().ReleaseExpiredLeasesAsync(time.GetUtcNow(), 100, stoppingToken);
                    outage.Succeeded();
                    if (released > 0)
                    {
                        LogReaped(logger, released);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Whatever it is (an outage, EF giving up its retries, a bug), the reaper keeps its schedule:
                    // a faulted background service would stop the whole process.
                    outage.Failed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Returned {Count} jobs with expired leases to the queue")]
    private static partial void LogReaped(ILogger logger, int count);

}
