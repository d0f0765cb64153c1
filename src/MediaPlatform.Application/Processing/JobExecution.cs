using System.Diagnostics;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Telemetry;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaPlatform.Application.Processing;

/// <summary>How an attempt ended.</summary>
public enum JobOutcome
{
    /// <summary>Succeeded: results and completion saved together.</summary>
    Completed,

    /// <summary>Failed for now; queued again after a backoff.</summary>
    Retrying,

    /// <summary>Failed for good.</summary>
    Failed,

    /// <summary>The host is stopping: put back in the queue without charging the attempt.</summary>
    Released,

    /// <summary>Cancelled, or taken over by another worker: stopped without a write.</summary>
    Stopped,

    /// <summary>The work ended but its final write was refused (the lease was lost) or never made (the host stopped).</summary>
    LeaseLost,
}

/// <summary>
/// The use case of running one claimed job: the pipeline acts for the job's tenant (its rows only, its limits), and
/// the attempt ends through the aggregate: completion with the results in one write, or a failure whose
/// retry-or-fail decision is the job's own (<see cref="Job.FailAttempt"/>), with the backoff of <see cref="RetryPolicy"/>.
/// Infrastructure keeps the loop that claims, the heartbeats, and the lease's SQL (<see cref="IJobLease"/>).
/// </summary>
public sealed partial class JobExecution(IServiceScopeFactory scopes, ILogger<JobExecution> logger)
{
    private const long LimitsCacheMilliseconds = 5000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TenantId, (TenantLimits Limits, long Until)> _limits = new();

    /// <summary>
    /// Runs <paramref name="job"/>. <paramref name="work"/> stops the work (a cancel, a lost lease, or the host
    /// stopping); <paramref name="stopping"/> says whether the host is stopping.
    /// </summary>
    public async Task<JobOutcome> RunAsync(
        Job job, IJobLease lease, IJobProgress progress, RetryPolicy retries, CancellationToken work, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(retries);
        // One span per attempt, in the trace of the request that submitted the job (its context is stored with it).
        using var activity = PlatformTelemetry.Source.StartActivity(
            "job.run", ActivityKind.Consumer, ActivityContext.TryParse(job.TraceParent, null, out var parent) ? parent : default);
        activity?.SetTag(PlatformTelemetry.JobIdTag, job.Id.Value.ToString());
        activity?.SetTag(PlatformTelemetry.TenantIdTag, job.TenantId.Value.ToString());
        activity?.SetTag("mediaplatform.job.kind", job.Kind.ToString());
        activity?.SetTag("mediaplatform.job.attempt", job.Attempts);
        var tags = PlatformTelemetry.JobTags(job);
        PlatformTelemetry.JobQueuedDuration.Record(Math.Max(0, (lease.Now - job.RunAfter).TotalSeconds), tags);
        var started = Stopwatch.GetTimestamp();
        var outcome = await RunAttemptAsync(job, lease, progress, retries, work, stopping);
        activity?.SetTag("mediaplatform.job.outcome", outcome.ToString());
        if (outcome is JobOutcome.Failed or JobOutcome.Retrying)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }

        var counter = outcome switch
        {
            JobOutcome.Completed => PlatformTelemetry.JobsSucceeded,
            JobOutcome.Failed => PlatformTelemetry.JobsFailed,
            JobOutcome.Retrying => PlatformTelemetry.JobsRetried,
            _ => null,
        };
        counter?.Add(1, tags);
        tags.Add("outcome", outcome.ToString().ToLowerInvariant());
        PlatformTelemetry.JobRunDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        return outcome;
    }

    private async Task<JobOutcome> RunAttemptAsync(
        Job job, IJobLease lease, IJobProgress progress, RetryPolicy retries, CancellationToken work, CancellationToken stopping)
    {
        try
        {
            PipelineResult result;
            var limits = await TenantLimitsAsync(job.TenantId, work);
            await using (var scope = scopes.CreateTenantScope(job.TenantId, limits))
            {
                result = await scope.ServiceProvider.GetRequiredService<IJobPipeline>().RunAsync(job, progress, work);
            }

            await progress.FlushAsync();
            if (await lease.FinishAsync(j => j.Complete(lease.Owner, lease.Now), result))
            {
                LogCompleted(logger, job.Id.Value);
                return JobOutcome.Completed;
            }

            LogLeaseLost(logger, job.Id.Value);
            return JobOutcome.LeaseLost;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            switch (await lease.TryUpdateAsync(j => j.Release(lease.Owner, lease.Now)))
            {
                case LeaseWrite.Saved:
                    LogReleased(logger, job.Id.Value);
                    return JobOutcome.Released;
                case LeaseWrite.Refused:
                    // Cancelled or taken over before the host stopped: nothing of this worker's to give back.
                    LogStoppedByCancel(logger, job.Id.Value);
                    return JobOutcome.Stopped;
                default:
                    // Shutting down during an outage: the lease runs out and the reaper returns the job.
                    LogReleaseFailed(logger, job.Id.Value);
                    return JobOutcome.LeaseLost;
            }
        }
        catch (OperationCanceledException) when (work.IsCancellationRequested)
        {
            LogStoppedByCancel(logger, job.Id.Value);
            return JobOutcome.Stopped;
        }
        catch (MediaProcessingException ex)
        {
            if (ex.Detail is { } detail)
            {
                LogDetail(logger, job.Id.Value, ex.Code, detail);
            }

            return await FailAttemptAsync(job, lease, retries, ex.Code, ex.Message, ex.IsTransient);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The details (paths, server messages) go to the log, not to the caller. A cancellation nobody asked for
            // (a client library's timeout) lands here too: a transient failure, not a cancel.
            LogUnexpected(logger, ex, job.Id.Value);
            return await FailAttemptAsync(job, lease, retries, "processing.internal_error", "Processing failed unexpectedly; the error was logged on the worker.", transient: true);
        }
    }

    private async Task<JobOutcome> FailAttemptAsync(Job job, IJobLease lease, RetryPolicy retries, string code, string message, bool transient)
    {
        bool? again = null;
        var saved = await lease.FinishAsync(j =>
        {
            var now = lease.Now;
            var decided = j.FailAttempt(lease.Owner, code, message, transient, now + retries.DelayAfter(j.Attempts, Random.Shared), now);
            again = decided.IsSuccess ? decided.Value : null;
            return decided;
        });
        if (!saved || again is null)
        {
            LogLeaseLost(logger, job.Id.Value);
            return JobOutcome.LeaseLost;
        }

        if (again.Value)
        {
            LogRetrying(logger, job.Id.Value, code, message);
            return JobOutcome.Retrying;
        }

        LogFailed(logger, job.Id.Value, code, message);
        return JobOutcome.Failed;
    }

    /// <summary>
    /// The tenant's limits, read at most every <see cref="LimitsCacheMilliseconds"/> per tenant: a queue of short jobs
    /// does not pay a read per job, and a changed limit reaches the workers within seconds. (Quotas that must be exact
    /// are enforced by the database in the writing transaction, not from this copy.)
    /// </summary>
    private async Task<TenantLimits> TenantLimitsAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        if (_limits.TryGetValue(tenantId, out var cached) && Environment.TickCount64 < cached.Until)
        {
            return cached.Limits;
        }

        await using var scope = scopes.CreateAsyncScope();
        var tenant = await scope.ServiceProvider.GetRequiredService<ITenantRepository>().GetAsync(tenantId, cancellationToken);
        var limits = tenant?.Limits ?? TenantLimits.None;
        _limits[tenantId] = (limits, Environment.TickCount64 + LimitsCacheMilliseconds);
        return limits;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} succeeded")]
    private static partial void LogCompleted(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} finished, but this worker no longer held its lease; its outcome was discarded")]
    private static partial void LogLeaseLost(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} could not be released; its lease will run out and another worker takes it")]
    private static partial void LogReleaseFailed(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: {Code}: {Detail}")]
    private static partial void LogDetail(ILogger logger, Guid jobId, string code, string detail);

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
}
