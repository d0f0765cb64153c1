using MediaPlatform.Domain.Jobs;
using MediaPlatform.Infrastructure.Reliability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>Returns running jobs whose lease expired (their worker crashed or hung) to the queue, or fails them on their last attempt.</summary>
internal sealed partial class LeaseReaperService(IServiceScopeFactory scopes, IOptions<QueueOptions> options, LeaseClock time, ILogger<LeaseReaperService> logger)
    : BackgroundService
{
    // Whatever a round throws (an outage, EF giving up its retries, a bug), the reaper keeps its schedule.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(
            TimeSpan.FromSeconds(options.Value.ReaperSeconds), runAtStart: false, new OutageLog(logger, "Lease reaper", time), time, ReapAsync, stoppingToken);

    private async Task ReapAsync(CancellationToken cancellationToken)
    {
        await time.EnsureMeasuredAsync(cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var released = await scope.ServiceProvider.GetRequiredService<IJobRepository>().ReleaseExpiredLeasesAsync(time.GetUtcNow(), 100, cancellationToken);
        if (released > 0)
        {
            LogReaped(logger, released);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Returned {Count} jobs with expired leases to the queue")]
    private static partial void LogReaped(ILogger logger, int count);
}
