using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Application.Processing;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Infrastructure.Reliability;
using MediaPlatform.Domain.Transcriptions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// <see cref="QueueOptions.WorkerCount"/> loops that claim due jobs (<c>FOR UPDATE SKIP LOCKED</c>), run their
/// pipeline under a lease renewed by heartbeats, and finish them: results and completion in one transaction,
/// transient failures retried with backoff and jitter, permanent ones failed with their reason. A cancelled job
/// (seen through LISTEN/NOTIFY at once, or at the next heartbeat) has its work and child processes stopped. On
/// shutdown a running job's lease is released so another worker takes it over without charging an attempt.
/// </summary>
internal sealed partial class JobWorkerService(
    IServiceScopeFactory scopes,
    JobEventHub hub,
    JobExecution execution,
    IOptions<QueueOptions> options,
    LeaseClock time,
    ILogger<JobWorkerService> logger) : BackgroundService
{
    private QueueOptions Settings => options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(1, Settings.WorkerCount)
            .Select(i => Task.Run(() => RunLoopAsync($"{Environment.MachineName}:{Environment.ProcessId}:{i}", stoppingToken), CancellationToken.None)));

    private async Task RunLoopAsync(string worker, CancellationToken stoppingToken)
    {
        LogStarted(logger, worker);
        var outage = new OutageLog(logger, $"Worker {worker}", time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Job? job;
                await time.EnsureMeasuredAsync(stoppingToken);
                await using (var scope = scopes.CreateAsyncScope())
                {
                    job = await scope.ServiceProvider.GetRequiredService<IJobRepository>()
                        .ClaimNextAsync(LeaseToken(worker), TimeSpan.FromSeconds(Settings.LeaseSeconds), time.GetUtcNow(), stoppingToken);
                }

                outage.Succeeded();

                if (job is null)
                {
                    await hub.WaitForWorkAsync(TimeSpan.FromSeconds(Settings.PollSeconds), stoppingToken);
                    continue;
                }

                await ProcessAsync(job.LeaseOwner!, job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is unreachable or restarting, or something unforeseen: wait, then claim again. A worker
                // loop never dies of it, and nothing is lost: a job it held keeps its lease until the reaper returns it.
                outage.Failed(ex);
                await Task.Delay(TimeSpan.FromSeconds(Settings.PollSeconds), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        LogStopped(logger, worker);
    }

    private async Task ProcessAsync(string worker, Job job, CancellationToken stoppingToken)
    {
        // Every line logged while this job runs (pipeline, processes, heartbeats) names it, in whatever process runs it.
        using var jobScope = logger.BeginScope("job {JobId} of tenant {TenantId}", job.Id.Value, job.TenantId.Value);
        using var writer = new JobLeaseWriter(scopes, job);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var heartbeatStop = new CancellationTokenSource();
        // A cancel (or a take-over) announced for this job after this claim stops its work within milliseconds; a
        // late notification of an earlier change (the "queued" of its submission) does not.
        var claimXid = job.Version;
        using var subscription = hub.Subscribe(job.Id.Value, e =>
        {
            if (e.StopsClaim(worker, claimXid))
            {
                work.Cancel();
            }
        });
        var heartbeat = HeartbeatAsync(writer, worker, FirstRenewal(job), work, heartbeatStop.Token);
        var progress = new ThrottledProgress(
            (percent, step) => WriteQuietlyAsync(writer, j => j.ReportProgress(worker, percent, step, time.GetUtcNow())),
            TimeSpan.FromMilliseconds(Settings.ProgressIntervalMilliseconds),
            time);

        LogClaimed(logger, worker, job.Id.Value, job.Attempts);
        try
        {
            // What the attempt does and how it ends is the Application's use case; this loop only holds the lease.
            var lease = new JobLease(writer, worker, time, this, stoppingToken);
            var retries = new RetryPolicy(TimeSpan.FromSeconds(Settings.RetryBaseSeconds), TimeSpan.FromSeconds(Settings.RetryMaxSeconds));
            await execution.RunAsync(job, lease, progress, retries, work.Token, stoppingToken);
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
        }
    }

    /// <summary>
    /// Renews the lease every <see cref="QueueOptions.HeartbeatSeconds"/> for as long as the work runs, through any
    /// failure: during a database outage it keeps trying (every second), so a job whose worker is alive survives an
    /// outage shorter than its lease without losing its attempt. Only a refusal (the job was cancelled, or the
    /// reaper gave it to someone else) stops the work.
    /// </summary>
    private async Task HeartbeatAsync(JobLeaseWriter writer, string lease, TimeSpan firstWait, CancellationTokenSource work, CancellationToken stop)
    {
        var outage = new OutageLog(logger, $"Heartbeat of {lease}", time);
        var wait = firstWait;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, time, stop);
                var now = time.GetUtcNow();
                if (!await writer.UpdateAsync(j => j.RenewLease(lease, now.AddSeconds(Settings.LeaseSeconds), now), cancellationToken: stop))
                {
                    // Cancelled or taken over while LISTEN was down: stop the work.
                    await work.CancelAsync();
                    return;
                }

                outage.Succeeded();
                wait = TimeSpan.FromSeconds(Settings.HeartbeatSeconds);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                outage.Failed(ex);
                wait = TimeSpan.FromSeconds(Math.Min(1, Settings.HeartbeatSeconds));
            }
        }
    }

    /// <summary>
    /// When to renew a new claim's lease first: a heartbeat period after it was stamped, or at once when the claim's
    /// commit came late (a cold process can take seconds between stamping the lease and committing it, which a short
    /// lease cannot spare: the fault suite's 3 s lease was reaped before the first heartbeat). A claim committed
    /// promptly costs no extra write: a short job finishes before its first heartbeat.
    /// </summary>
    private TimeSpan FirstRenewal(Job job)
    {
        var lease = TimeSpan.FromSeconds(Settings.LeaseSeconds);
        var stamped = (job.LeaseExpiresAt ?? time.GetUtcNow()) - lease;
        var since = time.GetUtcNow() - stamped;
        var wait = TimeSpan.FromSeconds(Settings.HeartbeatSeconds) - since;
        return since > lease / 3 || wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    /// <summary>The lease owner of one claim: the worker's name for the logs, and a random part no other claim shares.</summary>
    private static string LeaseToken(string worker) => $"{worker}:{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}";

    private static async Task WriteQuietlyAsync(JobLeaseWriter writer, Func<Job, Domain.Common.Result> change)
    {
        try
        {
            await writer.UpdateAsync(change);
        }
        catch (Exception)
        {
            // Progress is advisory, whatever stopped it (an outage, EF giving up its retries): the next report or the
            // completion writes again, and the work itself must never fail because of it.
        }
    }

    /// <summary>A write that ends a job (its results, a failure, a retry), retried through outages (<see cref="DurableWrite"/>).</summary>
    internal Task<bool> DurablyAsync(Func<Task<bool>> write, string lease, CancellationToken stoppingToken) =>
        DurableWrite.RunAsync(
            write,
            new OutageLog(logger, $"Finishing {lease}", time),
            time,
            stoppingToken,
            // Shutting down: the lease runs out and the job runs again elsewhere.
            ex => LogReleaseFailed(logger, Guid.Empty, ex.GetBaseException().Message));

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} started")]
    private static partial void LogStarted(ILogger logger, string worker);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} stopped")]
    private static partial void LogStopped(ILogger logger, string worker);


    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} claimed job {JobId} (attempt {Attempt})")]
    private static partial void LogClaimed(ILogger logger, string worker, Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} could not be released ({Reason}); its lease will run out and another worker takes it")]
    private static partial void LogReleaseFailed(ILogger logger, Guid jobId, string reason);

}
