using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Application.Processing;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;
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
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<JobWorkerService> logger) : BackgroundService
{
    private QueueOptions Settings => options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(1, Settings.WorkerCount)
            .Select(i => Task.Run(() => RunLoopAsync($"{Environment.MachineName}:{Environment.ProcessId}:{i}", stoppingToken), CancellationToken.None)));

    private async Task RunLoopAsync(string worker, CancellationToken stoppingToken)
    {
        LogStarted(logger, worker);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Job? job;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    job = await scope.ServiceProvider.GetRequiredService<IJobRepository>()
                        .ClaimNextAsync(worker, TimeSpan.FromSeconds(Settings.LeaseSeconds), time.GetUtcNow(), stoppingToken);
                }

                if (job is null)
                {
                    await hub.WaitForWorkAsync(TimeSpan.FromSeconds(Settings.PollSeconds), stoppingToken);
                    continue;
                }

                await ProcessAsync(worker, job, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is unreachable or restarting, or something unforeseen: wait, then claim again. A worker
                // loop never dies of it, and nothing is lost: a job it held keeps its lease until the reaper returns it.
                LogLoopError(logger, ex, worker);
                await Task.Delay(TimeSpan.FromSeconds(Settings.PollSeconds), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        LogStopped(logger, worker);
    }

    private async Task ProcessAsync(string worker, Job job, CancellationToken stoppingToken)
    {
        using var writer = new JobLeaseWriter(scopes, job);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var heartbeatStop = new CancellationTokenSource();
        // A cancel (or anything but "running") announced for this job stops its work within milliseconds.
        using var subscription = hub.Subscribe(job.Id.Value, e =>
        {
            if (e.Status != "running")
            {
                work.Cancel();
            }
        });
        var heartbeat = HeartbeatAsync(writer, worker, work, heartbeatStop.Token);
        var progress = new ThrottledProgress(
            (percent, step) => WriteQuietlyAsync(writer, j => j.ReportProgress(worker, percent, step, time.GetUtcNow())),
            TimeSpan.FromMilliseconds(Settings.ProgressIntervalMilliseconds),
            time);

        LogClaimed(logger, worker, job.Id.Value, job.Attempts);
        try
        {
            PipelineResult result;
            // The pipeline acts for the job's tenant: it sees that tenant's rows only, and applies its limits.
            var limits = await TenantLimitsAsync(job.TenantId, work.Token);
            await using (var scope = scopes.CreateTenantScope(job.TenantId, limits))
            {
                result = await scope.ServiceProvider.GetRequiredService<IJobPipeline>().RunAsync(job, progress, work.Token);
            }

            await progress.FlushAsync();
            var completed = await writer.UpdateAsync(
                j => j.Complete(worker, time.GetUtcNow()),
                (services, _) => WriteResults(services, result),
                CancellationToken.None);
            if (completed)
            {
                LogCompleted(logger, job.Id.Value);
            }
            else
            {
                LogLeaseLost(logger, job.Id.Value);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await writer.UpdateAsync(j => j.Release(worker, time.GetUtcNow()), cancellationToken: CancellationToken.None);
            LogReleased(logger, job.Id.Value);
        }
        catch (OperationCanceledException)
        {
            LogStoppedByCancel(logger, job.Id.Value);
        }
        catch (MediaProcessingException ex)
        {
            await FailOrRetryAsync(writer, worker, job.Id, ex.Code, ex.Message, ex.IsTransient);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogUnexpected(logger, ex, job.Id.Value);
            await FailOrRetryAsync(writer, worker, job.Id, "processing.internal_error", $"Processing failed unexpectedly: {ex.Message}", transient: true);
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
        }
    }

    private async Task<TenantLimits> TenantLimitsAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var tenant = await scope.ServiceProvider.GetRequiredService<ITenantRepository>().GetAsync(tenantId, cancellationToken);
        return tenant?.Limits ?? TenantLimits.None;
    }

    private async Task FailOrRetryAsync(JobLeaseWriter writer, string worker, JobId id, string code, string message, bool transient)
    {
        var policy = new RetryPolicy(TimeSpan.FromSeconds(Settings.RetryBaseSeconds), TimeSpan.FromSeconds(Settings.RetryMaxSeconds));
        var retried = false;
        await writer.UpdateAsync(
            j =>
            {
                var now = time.GetUtcNow();
                if (transient && j.Attempts < j.MaxAttempts)
                {
                    retried = true;
                    return j.ScheduleRetry(worker, code, message, now + policy.DelayAfter(j.Attempts, Random.Shared), now);
                }

                retried = false;
                var final = transient ? $"{message} (gave up after {j.Attempts} attempts)" : message;
                return j.Fail(worker, code, final, now);
            },
            cancellationToken: CancellationToken.None);
        if (retried)
        {
            LogRetrying(logger, id.Value, code, message);
        }
        else
        {
            LogFailed(logger, id.Value, code, message);
        }
    }

    private async Task HeartbeatAsync(JobLeaseWriter writer, string worker, CancellationTokenSource work, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(Settings.HeartbeatSeconds), stop);
                var now = time.GetUtcNow();
                if (!await writer.UpdateAsync(j => j.RenewLease(worker, now.AddSeconds(Settings.LeaseSeconds), now), cancellationToken: stop))
                {
                    // Cancelled or taken over while LISTEN was down: stop the work.
                    await work.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // The lease simply runs out; the reaper returns the job if this worker cannot finish it.
            LogHeartbeatFailed(logger, ex);
        }
    }

    private static async Task WriteQuietlyAsync(JobLeaseWriter writer, Func<Job, Domain.Common.Result> change)
    {
        try
        {
            await writer.UpdateAsync(change);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            // Progress is advisory; the next report or the completion writes again.
        }
    }

    private static void WriteResults(IServiceProvider services, PipelineResult result)
    {
        if (result.Transcription is { } transcription)
        {
            services.GetRequiredService<ITranscriptionRepository>().Add(transcription);
        }

        var analyses = services.GetRequiredService<IAnalysisResultRepository>();
        foreach (var analysis in result.Analyses)
        {
            analyses.Add(analysis);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} started")]
    private static partial void LogStarted(ILogger logger, string worker);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} stopped")]
    private static partial void LogStopped(ILogger logger, string worker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {Worker} could not claim work; retrying")]
    private static partial void LogLoopError(ILogger logger, Exception exception, string worker);

    [LoggerMessage(Level = LogLevel.Information, Message = "Worker {Worker} claimed job {JobId} (attempt {Attempt})")]
    private static partial void LogClaimed(ILogger logger, string worker, Guid jobId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} succeeded")]
    private static partial void LogCompleted(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} finished, but this worker no longer held its lease; its results were discarded")]
    private static partial void LogLeaseLost(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} released for another worker (shutting down)")]
    private static partial void LogReleased(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} stopped: it was cancelled or taken over")]
    private static partial void LogStoppedByCancel(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} will be retried after {Code}: {Message}")]
    private static partial void LogRetrying(ILogger logger, Guid jobId, string code, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} failed with {Code}: {Message}")]
    private static partial void LogFailed(ILogger logger, Guid jobId, string code, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} hit an unexpected error")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A heartbeat failed; the lease will run out if this continues")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception);
}
