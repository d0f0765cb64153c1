using MediaPlatform.Application.Common.Telemetry;
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
using System.Collections.Concurrent;
using System.Threading.Channels;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// <see cref="QueueOptions.WorkerCount"/> loops that run claimed jobs' pipelines under leases renewed by heartbeats,
/// fed by one claimer per process that claims as many due jobs as loops are free (plus <see cref="QueueOptions.Prefetch"/>)
/// in one transaction (<c>FOR UPDATE SKIP LOCKED</c>). An attempt's final write (results and completion in one
/// transaction, or a retry with backoff and jitter, or a failure with its reason) is saved together with the other
/// loops' (<see cref="JobFinishBatcher"/>), and the loop goes on to its next job meanwhile (docs/adr/0016). A cancelled
/// job (seen through LISTEN/NOTIFY at once, or at the next heartbeat) has its work and child processes stopped. On
/// shutdown a running job's lease is released, and so is a claimed job no loop started, so another worker takes them
/// over without charging an attempt.
/// </summary>
internal sealed partial class JobWorkerService(
    IServiceScopeFactory scopes,
    JobEventHub hub,
    JobExecution execution,
    IOptions<QueueOptions> options,
    LeaseClock time,
    ILogger<JobWorkerService> logger) : BackgroundService
{
    /// <summary>Claimed jobs waiting for a loop, with when they were claimed (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    private readonly Channel<(Job Job, long ClaimedAt)> _claimed = Channel.CreateUnbounded<(Job, long)>();
    private readonly ConcurrentDictionary<Task, bool> _finishing = new();

    private QueueOptions Settings => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Settings.WorkerCount == 0)
        {
            return;
        }

        var batcher = new JobFinishBatcher(scopes, logger);
        var flusher = Task.Run(batcher.RunAsync, CancellationToken.None);
        // Jobs claimed and not yet handed over: waiting for a loop, or in a loop's pipeline.
        using var capacity = new SemaphoreSlim(Settings.WorkerCount + Settings.Prefetch);
        var loops = Enumerable.Range(1, Settings.WorkerCount)
            .Select(i => Task.Run(() => RunLoopAsync($"{WorkerPresenceService.ProcessId}:{i}", capacity, batcher, stoppingToken), CancellationToken.None))
            .Append(Task.Run(() => ClaimLoopAsync(capacity, batcher, stoppingToken), CancellationToken.None));
        try
        {
            await Task.WhenAll(loops);
        }
        finally
        {
            await ReleaseUnstartedAsync();
            await Task.WhenAll(_finishing.Keys);
            batcher.Complete();
            await flusher;
        }
    }

    /// <summary>
    /// Claims jobs whenever there is room for them: as many as are free (at most <see cref="JobFinishBatcher.MaxBatch"/>)
    /// in one claim, each with a lease owner of its own; waits for a notification (or the poll interval) when none is due.
    /// </summary>
    private async Task ClaimLoopAsync(SemaphoreSlim capacity, JobFinishBatcher batcher, CancellationToken stoppingToken)
    {
        // Finishing writes waiting to be saved (the database slow or away): claim no more until they are down again.
        var mostWaiting = (Settings.WorkerCount * 8) + Settings.Prefetch;
        var outage = new OutageLog(logger, "The job claimer", time);
        var most = Math.Min(Settings.WorkerCount + Settings.Prefetch, JobFinishBatcher.MaxBatch);
        var owner = WorkerPresenceService.ProcessId; // the process's row in worker_process begins every lease it takes
        while (!stoppingToken.IsCancellationRequested)
        {
            var want = 0;
            try
            {
                await batcher.WaitUntilAtMostAsync(mostWaiting, stoppingToken);

                await capacity.WaitAsync(stoppingToken);
                want = 1;
                while (want < most && capacity.Wait(0, CancellationToken.None))
                {
                    want++;
                }

                await time.EnsureMeasuredAsync(stoppingToken);
                IReadOnlyList<Job> jobs;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    jobs = await scope.ServiceProvider.GetRequiredService<IJobRepository>().ClaimBatchAsync(
                        [.. Enumerable.Range(0, want).Select(_ => LeaseToken(owner))], TimeSpan.FromSeconds(Settings.LeaseSeconds), time.GetUtcNow(), stoppingToken);
                }

                outage.Succeeded();
                if (jobs.Count > 0)
                {
                    PlatformTelemetry.QueueClaimSize.Record(jobs.Count);
                }

                var unused = want - jobs.Count;
                want = 0;
                if (unused > 0)
                {
                    capacity.Release(unused);
                }

                var claimedAt = System.Diagnostics.Stopwatch.GetTimestamp();
                foreach (var job in jobs)
                {
                    _claimed.Writer.TryWrite((job, claimedAt));
                }

                if (jobs.Count == 0)
                {
                    await hub.WaitForWorkAsync(TimeSpan.FromSeconds(Settings.PollSeconds), stoppingToken);
                }
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping (whatever the claim threw meanwhile): a claim that did not commit took nothing.
                break;
            }
            catch (Exception ex)
            {
                // The database is unreachable or restarting, or something unforeseen: wait, then claim again. The
                // claimer never dies of it, and nothing is lost: a claim that did not commit took nothing.
                if (want > 0)
                {
                    capacity.Release(want);
                }

                outage.Failed(ex);
                await Task.Delay(TimeSpan.FromSeconds(Settings.PollSeconds), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task RunLoopAsync(string worker, SemaphoreSlim capacity, JobFinishBatcher batcher, CancellationToken stoppingToken)
    {
        LogStarted(logger, worker);
        try
        {
            while (await _claimed.Reader.WaitToReadAsync(stoppingToken))
            {
                // Stopping: what is still queued here is released by ReleaseUnstartedAsync, never started.
                if (stoppingToken.IsCancellationRequested || !_claimed.Reader.TryRead(out var claimed))
                {
                    continue;
                }

                var job = claimed.Job;
                if (System.Diagnostics.Stopwatch.GetElapsedTime(claimed.ClaimedAt) > TimeSpan.FromSeconds(Settings.LeaseSeconds) / 3)
                {
                    // A prefetched job that waited a third of its lease (no heartbeat renews it while it waits): back
                    // to the queue uncharged, before the reaper takes it for a dead worker's and someone runs it twice.
                    await ReleaseAsync(job);
                    capacity.Release();
                    continue;
                }

                var handedOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var run = RunQuietlyAsync(job, batcher, () => handedOver.TrySetResult(), stoppingToken);
                await Task.WhenAny(run, handedOver.Task);
                // Its final write is on its way: the loop's room goes to the next job while it is saved.
                capacity.Release();
                if (!run.IsCompleted)
                {
                    _finishing[run] = true;
                    _ = run.ContinueWith(t => _finishing.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        LogStopped(logger, worker);
    }

    private async Task RunQuietlyAsync(Job job, JobFinishBatcher batcher, Action handedOver, CancellationToken stoppingToken)
    {
        try
        {
            await ProcessAsync(job.LeaseOwner!, job, batcher, handedOver, stoppingToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Something unforeseen around the attempt (its outcome is the use case's): the job keeps its lease until
            // the reaper returns it; the loop goes on.
            LogLoopFailed(logger, job.Id.Value, ex.GetBaseException().Message);
        }
    }

    /// <summary>Claimed jobs no loop started when the host stopped: back to the queue at once, without charging an attempt.</summary>
    private async Task ReleaseUnstartedAsync()
    {
        while (_claimed.Reader.TryRead(out var claimed))
        {
            await ReleaseAsync(claimed.Job);
        }
    }

    /// <summary>A claimed job that will not be started here: back to the queue, its attempt not charged (the reaper returns it when this fails).</summary>
    private async Task ReleaseAsync(Job job)
    {
        using var writer = new JobLeaseWriter(scopes, job);
        try
        {
            if (await writer.UpdateAsync(j => j.Release(job.LeaseOwner!, time.GetUtcNow())))
            {
                LogUnstartedReleased(logger, job.Id.Value);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogReleaseFailed(logger, job.Id.Value, ex.GetBaseException().Message);
        }
    }

    private async Task ProcessAsync(string worker, Job job, JobFinishBatcher batcher, Action handedOver, CancellationToken stoppingToken)
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
            var lease = new JobLease(writer, worker, time, this, batcher, handedOver, stoppingToken);
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
                // Stopped (every job's heartbeat is, when its attempt ends): leave without throwing, once per job.
                await Task.Delay(wait, time, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (stop.IsCancellationRequested)
                {
                    return;
                }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} was claimed but not started (shutting down, or it waited too long for a loop); released for another worker")]
    private static partial void LogUnstartedReleased(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Running job {JobId} failed outside its attempt ({Reason}); its lease will run out and another worker takes it")]
    private static partial void LogLoopFailed(ILogger logger, Guid jobId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} could not be released ({Reason}); its lease will run out and another worker takes it")]
    private static partial void LogReleaseFailed(ILogger logger, Guid jobId, string reason);

}
