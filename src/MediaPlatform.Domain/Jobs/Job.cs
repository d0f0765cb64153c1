using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Domain.Jobs;

/// <summary>
/// A unit of work on one media asset. Its lifecycle is an explicit state machine; every transition is a
/// method that either applies completely or returns an <see cref="Error"/> and changes nothing.
/// </summary>
public sealed class Job : AggregateRoot<JobId>, ITenantOwned
{
    public const int DefaultPriority = 0;
    public const int MinPriority = -100;
    public const int MaxPriority = 100;
    public const int DefaultMaxAttempts = 3;

    /// <summary>A W3C <c>traceparent</c>: version, trace id, span id and flags (55 characters in version 00).</summary>
    public const int MaxTraceParentLength = 64;

    public const int MaxErrorMessageLength = 2000;

    private Job(JobId id, MediaAssetId mediaAssetId, JobKind kind, JobOptions options, int priority, int maxAttempts, DateTimeOffset now)
        : base(id)
    {
        MediaAssetId = mediaAssetId;
        Kind = kind;
        Options = options;
        Priority = priority;
        MaxAttempts = maxAttempts;
        Status = JobStatus.Queued;
        RunAfter = now;
        CreatedAt = now;
        UpdatedAt = now;
    }

    // For EF Core materialisation.
    private Job()
        : base(default)
    {
        Options = JobOptions.Default;
    }

    /// <summary>The tenant that owns it; stamped by persistence, never chosen by the aggregate.</summary>
    public TenantId TenantId { get; private set; }

    public MediaAssetId MediaAssetId { get; private set; }

    public JobKind Kind { get; private set; }

    public JobOptions Options { get; private set; }

    /// <summary>Higher runs first; between <see cref="MinPriority"/> and <see cref="MaxPriority"/>.</summary>
    public int Priority { get; private set; }

    public JobStatus Status { get; private set; }

    /// <summary>Percent done, 0 to 100.</summary>
    public int Progress { get; private set; }

    /// <summary>The pipeline step running now (for example <c>transcribe</c>), null when none.</summary>
    public string? CurrentStep { get; private set; }

    /// <summary>How many times a worker has started this job since it was submitted or last retried by hand.</summary>
    public int Attempts { get; private set; }

    public int MaxAttempts { get; private set; }

    /// <summary>The job is not claimed before this instant (backoff after a failed attempt).</summary>
    public DateTimeOffset RunAfter { get; private set; }

    public string? LeaseOwner { get; private set; }

    public DateTimeOffset? LeaseExpiresAt { get; private set; }

    public string? ErrorCode { get; private set; }

    public string? ErrorMessage { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsTerminal => Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    /// <summary>
    /// The W3C trace context (<c>traceparent</c>) of the request that submitted the job, so the work done for it, in
    /// whatever process, joins that request's trace; null when the request was not traced.
    /// </summary>
    public string? TraceParent { get; private set; }

    /// <summary>Records the trace the submission belongs to (ignored when longer than a <c>traceparent</c> can be).</summary>
    public void LinkTrace(string? traceParent) =>
        TraceParent = traceParent is { Length: > 0 and <= MaxTraceParentLength } ? traceParent : null;

    public static Result<Job> Submit(
        MediaAssetId mediaAssetId,
        JobKind kind,
        JobOptions options,
        int priority,
        DateTimeOffset now,
        int maxAttempts = DefaultMaxAttempts)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (priority is < MinPriority or > MaxPriority)
        {
            return Error.Validation("job.priority_out_of_range", $"Priority must be between {MinPriority} and {MaxPriority}, not {priority}.");
        }

        if (maxAttempts < 1)
        {
            return Error.Validation("job.max_attempts_invalid", $"Max attempts must be at least 1, not {maxAttempts}.");
        }

        var job = new Job(JobId.New(), mediaAssetId, kind, options, priority, maxAttempts, now);
        job.Raise(new JobStatusChanged(job.Id, JobStatus.Queued, JobStatus.Queued, now));
        return job;
    }

    /// <summary>A worker claims the job: queued -> running, holding a lease until <paramref name="leaseExpiresAt"/>.</summary>
    public Result Start(string worker, DateTimeOffset leaseExpiresAt, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        if (Status != JobStatus.Queued)
        {
            return JobErrors.InvalidTransition(Id, Status, "started");
        }

        Attempts++;
        StartedAt ??= now;
        LeaseOwner = worker;
        LeaseExpiresAt = leaseExpiresAt;
        Progress = 0;
        CurrentStep = null;
        ErrorCode = null;
        ErrorMessage = null;
        MoveTo(JobStatus.Running, now);
        return Result.Success();
    }

    /// <summary>The worker holding the lease extends it (heartbeat).</summary>
    public Result RenewLease(string worker, DateTimeOffset leaseExpiresAt, DateTimeOffset now)
    {
        var check = EnsureLeaseHolder(worker, "given a longer lease");
        if (check.IsFailure)
        {
            return check;
        }

        LeaseExpiresAt = leaseExpiresAt;
        UpdatedAt = now;
        return Result.Success();
    }

    public Result ReportProgress(string worker, int progress, string? step, DateTimeOffset now)
    {
        var check = EnsureLeaseHolder(worker, "given progress");
        if (check.IsFailure)
        {
            return check;
        }

        if (progress is < 0 or > 100)
        {
            return JobErrors.ProgressOutOfRange(progress);
        }

        Progress = progress;
        CurrentStep = step;
        UpdatedAt = now;
        return Result.Success();
    }

    /// <summary>running -> succeeded.</summary>
    public Result Complete(string worker, DateTimeOffset now)
    {
        var check = EnsureLeaseHolder(worker, "completed");
        if (check.IsFailure)
        {
            return check;
        }

        Progress = 100;
        CurrentStep = null;
        Finish(JobStatus.Succeeded, now);
        return Result.Success();
    }

    /// <summary>running -> failed, for good: the error is kept for the client to read.</summary>
    public Result Fail(string worker, string errorCode, string errorMessage, DateTimeOffset now)
    {
        var check = EnsureLeaseHolder(worker, "failed");
        if (check.IsFailure)
        {
            return check;
        }

        SetError(errorCode, errorMessage);
        Finish(JobStatus.Failed, now);
        return Result.Success();
    }

    /// <summary>
    /// running -> queued after a transient failure, to run again no earlier than <paramref name="runAfter"/>.
    /// Refused once every attempt is used; the caller then fails the job.
    /// </summary>
    public Result ScheduleRetry(string worker, string errorCode, string errorMessage, DateTimeOffset runAfter, DateTimeOffset now)
    {
        var check = EnsureLeaseHolder(worker, "rescheduled");
        if (check.IsFailure)
        {
            return check;
        }

        if (Attempts >= MaxAttempts)
        {
            return JobErrors.AttemptsExhausted(Id, MaxAttempts);
        }

        SetError(errorCode, errorMessage);
        RunAfter = runAfter;
        ClearLease();
        MoveTo(JobStatus.Queued, now);
        return Result.Success();
    }

    /// <summary>
    /// running -> queued or failed after an attempt failed: the job decides. A transient failure with attempts left
    /// is retried no earlier than <paramref name="retryAt"/> (the caller's backoff); anything else fails the job,
    /// a transient one saying how many attempts it took. Returns whether the job will run again.
    /// </summary>
    public Result<bool> FailAttempt(string worker, string errorCode, string errorMessage, bool transient, DateTimeOffset retryAt, DateTimeOffset now)
    {
        var check = EnsureLeaseHolder(worker, "failed");
        if (check.IsFailure)
        {
            return check.Error!;
        }

        if (transient && Attempts < MaxAttempts)
        {
            var retried = ScheduleRetry(worker, errorCode, errorMessage, retryAt, now);
            return retried.IsSuccess ? true : retried.Error!;
        }

        var failed = Fail(worker, errorCode, transient ? $"{errorMessage} (gave up after {Attempts} attempts)" : errorMessage, now);
        return failed.IsSuccess ? false : failed.Error!;
    }

    /// <summary>
    /// The lease of a running job expired (its worker crashed): the reaper returns it to the queue, or fails it
    /// when every attempt is used.
    /// </summary>
    public Result ReleaseExpiredLease(DateTimeOffset now)
    {
        if (Status != JobStatus.Running)
        {
            return JobErrors.InvalidTransition(Id, Status, "released");
        }

        if (LeaseExpiresAt > now)
        {
            return Error.Conflict("job.lease_active", $"The lease on job '{Id}' is still held until {LeaseExpiresAt:O}.");
        }

        if (Attempts >= MaxAttempts)
        {
            SetError("job.lease_expired", $"The worker running this job stopped responding {Attempts} times; giving up.");
            Finish(JobStatus.Failed, now);
            return Result.Success();
        }

        RunAfter = now;
        ClearLease();
        MoveTo(JobStatus.Queued, now);
        return Result.Success();
    }

    /// <summary>
    /// running -> queued because the worker is shutting down: the interrupted attempt is not charged, and the job
    /// is due again at once for another worker.
    /// </summary>
    public Result Release(string worker, DateTimeOffset now)
    {
        var check = EnsureLeaseHolder(worker, "released");
        if (check.IsFailure)
        {
            return check;
        }

        Attempts = Math.Max(0, Attempts - 1);
        RunAfter = now;
        CurrentStep = null;
        ClearLease();
        MoveTo(JobStatus.Queued, now);
        return Result.Success();
    }

    /// <summary>queued | running -> cancelled. A finished job cannot be cancelled.</summary>
    public Result Cancel(DateTimeOffset now)
    {
        if (Status is not (JobStatus.Queued or JobStatus.Running))
        {
            return JobErrors.InvalidTransition(Id, Status, "cancelled");
        }

        Finish(JobStatus.Cancelled, now);
        return Result.Success();
    }

    /// <summary>failed | cancelled -> queued, by hand: a fresh set of attempts, run as soon as possible.</summary>
    public Result Retry(DateTimeOffset now)
    {
        if (Status is not (JobStatus.Failed or JobStatus.Cancelled))
        {
            return JobErrors.InvalidTransition(Id, Status, "retried");
        }

        Attempts = 0;
        Progress = 0;
        CurrentStep = null;
        ErrorCode = null;
        ErrorMessage = null;
        RunAfter = now;
        StartedAt = null;
        FinishedAt = null;
        MoveTo(JobStatus.Queued, now);
        return Result.Success();
    }

    private Result EnsureLeaseHolder(string worker, string action)
    {
        if (Status != JobStatus.Running)
        {
            return JobErrors.InvalidTransition(Id, Status, action);
        }

        return LeaseOwner == worker ? Result.Success() : JobErrors.NotLeaseOwner(Id, worker);
    }

    private void SetError(string code, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        ErrorCode = code;
        ErrorMessage = message.Length > MaxErrorMessageLength ? message[..MaxErrorMessageLength] : message;
    }

    private void Finish(JobStatus status, DateTimeOffset now)
    {
        FinishedAt = now;
        ClearLease();
        MoveTo(status, now);
    }

    private void ClearLease()
    {
        LeaseOwner = null;
        LeaseExpiresAt = null;
    }

    private void MoveTo(JobStatus status, DateTimeOffset now)
    {
        var from = Status;
        Status = status;
        UpdatedAt = now;
        Raise(new JobStatusChanged(Id, from, status, now));
    }
}
