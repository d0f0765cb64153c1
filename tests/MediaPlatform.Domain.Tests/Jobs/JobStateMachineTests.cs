using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;

namespace MediaPlatform.Domain.Tests.Jobs;

public sealed class JobStateMachineTests
{
    private const string Worker = "worker-1";
    private static readonly DateTimeOffset _t0 = new(2026, 1, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _later = _t0.AddMinutes(5);

    public enum Operation
    {
        Start,
        RenewLease,
        ReportProgress,
        Complete,
        Fail,
        ScheduleRetry,
        ReleaseExpiredLease,
        Release,
        Cancel,
        Retry,
    }

    /// <summary>The whole transition table: for each state and operation, the state it leads to, or null when illegal.</summary>
    private static readonly Dictionary<(JobStatus, Operation), JobStatus?> _table = new()
    {
        [(JobStatus.Queued, Operation.Start)] = JobStatus.Running,
        [(JobStatus.Queued, Operation.Cancel)] = JobStatus.Cancelled,
        [(JobStatus.Running, Operation.RenewLease)] = JobStatus.Running,
        [(JobStatus.Running, Operation.ReportProgress)] = JobStatus.Running,
        [(JobStatus.Running, Operation.Complete)] = JobStatus.Succeeded,
        [(JobStatus.Running, Operation.Fail)] = JobStatus.Failed,
        [(JobStatus.Running, Operation.ScheduleRetry)] = JobStatus.Queued,
        [(JobStatus.Running, Operation.ReleaseExpiredLease)] = JobStatus.Queued,
        [(JobStatus.Running, Operation.Release)] = JobStatus.Queued,
        [(JobStatus.Running, Operation.Cancel)] = JobStatus.Cancelled,
        [(JobStatus.Failed, Operation.Retry)] = JobStatus.Queued,
        [(JobStatus.Cancelled, Operation.Retry)] = JobStatus.Queued,
    };

    public static TheoryData<JobStatus, Operation, JobStatus?> AllTransitions()
    {
        var data = new TheoryData<JobStatus, Operation, JobStatus?>();
        foreach (var status in Enum.GetValues<JobStatus>())
        {
            foreach (var operation in Enum.GetValues<Operation>())
            {
                data.Add(status, operation, _table.GetValueOrDefault((status, operation)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllTransitions))]
    public void Every_transition_is_applied_when_legal_and_rejected_without_change_when_not(JobStatus from, Operation operation, JobStatus? expected)
    {
        var job = JobIn(from);
        var versionBefore = (job.Status, job.UpdatedAt, job.Attempts, job.LeaseOwner, job.DomainEvents.Count);

        var result = Apply(job, operation);

        if (expected is { } to)
        {
            Assert.True(result.IsSuccess, result.Error?.Message);
            Assert.Equal(to, job.Status);
            Assert.Equal(to == JobStatus.Running, job.LeaseOwner is not null);
            if (to != from)
            {
                var raised = Assert.IsType<JobStatusChanged>(job.DomainEvents.Last());
                Assert.Equal((from, to), (raised.From, raised.To));
            }
        }
        else
        {
            Assert.True(result.IsFailure);
            Assert.Equal(ErrorType.Conflict, result.Error!.Type);
            Assert.Equal("job.invalid_transition", result.Error.Code);
            Assert.Equal(versionBefore, (job.Status, job.UpdatedAt, job.Attempts, job.LeaseOwner, job.DomainEvents.Count));
        }
    }

    [Fact]
    public void Cancelling_a_finished_job_is_rejected()
    {
        var job = JobIn(JobStatus.Succeeded);

        var result = job.Cancel(_later);

        Assert.Equal("job.invalid_transition", result.Error?.Code);
        Assert.Contains("succeeded and cannot be cancelled", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_submitted_job_is_queued_and_due_immediately()
    {
        var job = Job.Submit(MediaAssetId.New(), JobKind.Transcription, JobOptions.Default, 3, _t0).Value;

        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(_t0, job.RunAfter);
        Assert.Equal(_t0, job.CreatedAt);
        Assert.Equal(0, job.Attempts);
        Assert.Equal(Job.DefaultMaxAttempts, job.MaxAttempts);
        Assert.NotEqual(Guid.Empty, job.Id.Value);
    }

    [Theory]
    [InlineData(-101)]
    [InlineData(101)]
    public void A_priority_out_of_range_is_refused(int priority)
    {
        var result = Job.Submit(MediaAssetId.New(), JobKind.Transcription, JobOptions.Default, priority, _t0);

        Assert.Equal("job.priority_out_of_range", result.Error?.Code);
    }

    [Fact]
    public void Starting_counts_an_attempt_and_takes_a_lease()
    {
        var job = JobIn(JobStatus.Queued);

        job.Start(Worker, _later.AddMinutes(1), _later);

        Assert.Equal(1, job.Attempts);
        Assert.Equal(Worker, job.LeaseOwner);
        Assert.Equal(_later.AddMinutes(1), job.LeaseExpiresAt);
        Assert.Equal(_later, job.StartedAt);
    }

    [Fact]
    public void Only_the_lease_holder_can_report_progress_or_complete()
    {
        var job = JobIn(JobStatus.Running);

        Assert.Equal("job.lease_lost", job.ReportProgress("intruder", 50, "transcribe", _later).Error?.Code);
        Assert.Equal("job.lease_lost", job.Complete("intruder", _later).Error?.Code);
        Assert.Equal(JobStatus.Running, job.Status);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void Progress_outside_0_to_100_is_refused(int progress)
    {
        var job = JobIn(JobStatus.Running);

        Assert.Equal("job.progress_out_of_range", job.ReportProgress(Worker, progress, null, _later).Error?.Code);
    }

    [Fact]
    public void Automatic_retries_stop_when_every_attempt_is_used()
    {
        var job = Job.Submit(MediaAssetId.New(), JobKind.Transcription, JobOptions.Default, 0, _t0, maxAttempts: 2).Value;
        job.Start(Worker, _later, _t0);
        Assert.True(job.ScheduleRetry(Worker, "engine.crashed", "boom", _t0.AddSeconds(10), _t0).IsSuccess);
        Assert.Equal(_t0.AddSeconds(10), job.RunAfter);
        job.Start(Worker, _later, _t0.AddSeconds(10));

        var result = job.ScheduleRetry(Worker, "engine.crashed", "boom", _t0.AddSeconds(30), _t0.AddSeconds(11));

        Assert.Equal("job.attempts_exhausted", result.Error?.Code);
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.True(job.Fail(Worker, "engine.crashed", "boom", _t0.AddSeconds(11)).IsSuccess);
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal("engine.crashed", job.ErrorCode);
    }

    [Fact]
    public void An_expired_lease_returns_the_job_to_the_queue_but_an_active_one_does_not()
    {
        var job = JobIn(JobStatus.Running); // lease until _later

        Assert.Equal("job.lease_active", job.ReleaseExpiredLease(_later.AddSeconds(-1)).Error?.Code);
        Assert.True(job.ReleaseExpiredLease(_later).IsSuccess);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Null(job.LeaseOwner);
    }

    [Fact]
    public void An_expired_lease_on_the_last_attempt_fails_the_job()
    {
        var job = Job.Submit(MediaAssetId.New(), JobKind.Transcription, JobOptions.Default, 0, _t0, maxAttempts: 1).Value;
        job.Start(Worker, _later, _t0);

        job.ReleaseExpiredLease(_later);

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal("job.lease_expired", job.ErrorCode);
    }

    [Fact]
    public void A_worker_shutting_down_releases_its_job_without_charging_the_attempt()
    {
        var job = JobIn(JobStatus.Running);

        Assert.True(job.Release(Worker, _later).IsSuccess);

        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(0, job.Attempts);
        Assert.Equal(_later, job.RunAfter);
        Assert.Null(job.LeaseOwner);
        Assert.Equal("job.lease_lost", JobIn(JobStatus.Running).Release("someone-else", _later).Error?.Code);
    }

    [Fact]
    public void A_manual_retry_starts_afresh()
    {
        var job = JobIn(JobStatus.Failed);

        job.Retry(_later);

        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(0, job.Attempts);
        Assert.Null(job.ErrorCode);
        Assert.Null(job.FinishedAt);
        Assert.Equal(_later, job.RunAfter);
    }

    [Fact]
    public void A_long_error_message_is_truncated_to_fit_the_column()
    {
        var job = JobIn(JobStatus.Running);

        job.Fail(Worker, "x", new string('e', 5000), _later);

        Assert.Equal(Job.MaxErrorMessageLength, job.ErrorMessage!.Length);
    }

    [Fact]
    public void A_transient_failure_with_attempts_left_is_retried_at_the_given_time()
    {
        var job = JobIn(JobStatus.Running);

        var again = job.FailAttempt(Worker, "engine.timeout", "The engine timed out.", transient: true, _later.AddSeconds(30), _later);

        Assert.True(again.Value);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Equal(_later.AddSeconds(30), job.RunAfter);
        Assert.Equal("engine.timeout", job.ErrorCode);
    }

    [Fact]
    public void A_transient_failure_on_the_last_attempt_fails_the_job_saying_how_many_attempts_it_took()
    {
        var job = JobIn(JobStatus.Running);
        for (var i = 1; i < job.MaxAttempts; i++)
        {
            Assert.True(job.FailAttempt(Worker, "engine.timeout", "The engine timed out.", transient: true, _later, _later).Value);
            Assert.True(job.Start(Worker, _later.AddMinutes(1), _later).IsSuccess);
        }

        var again = job.FailAttempt(Worker, "engine.timeout", "The engine timed out.", transient: true, _later, _later);

        Assert.False(again.Value);
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal($"The engine timed out. (gave up after {job.MaxAttempts} attempts)", job.ErrorMessage);
    }

    [Fact]
    public void A_permanent_failure_fails_the_job_at_once()
    {
        var job = JobIn(JobStatus.Running);

        var again = job.FailAttempt(Worker, "media.unreadable", "The file is not media.", transient: false, _later, _later);

        Assert.False(again.Value);
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal("The file is not media.", job.ErrorMessage);
    }

    [Fact]
    public void Only_the_lease_holder_can_fail_an_attempt()
    {
        var job = JobIn(JobStatus.Running);

        var refused = job.FailAttempt("someone-else", "engine.timeout", "The engine timed out.", transient: true, _later, _later);

        Assert.Equal(JobErrors.NotLeaseOwner(job.Id, "someone-else").Code, refused.Error?.Code);
        Assert.Equal(JobStatus.Running, job.Status);
    }

    private static Job JobIn(JobStatus status)
    {
        var job = Job.Submit(MediaAssetId.New(), JobKind.Transcription, JobOptions.Default, 0, _t0).Value;
        switch (status)
        {
            case JobStatus.Queued:
                break;
            case JobStatus.Running:
                job.Start(Worker, _later, _t0);
                break;
            case JobStatus.Succeeded:
                job.Start(Worker, _later, _t0);
                job.Complete(Worker, _t0);
                break;
            case JobStatus.Failed:
                job.Start(Worker, _later, _t0);
                job.Fail(Worker, "engine.failed", "The engine failed.", _t0);
                break;
            case JobStatus.Cancelled:
                job.Cancel(_t0);
                break;
        }

        Assert.Equal(status, job.Status);
        return job;
    }

    private static Result Apply(Job job, Operation operation) => operation switch
    {
        Operation.Start => job.Start(Worker, _later.AddMinutes(1), _later),
        Operation.RenewLease => job.RenewLease(Worker, _later.AddMinutes(1), _later),
        Operation.ReportProgress => job.ReportProgress(Worker, 40, "transcribe", _later),
        Operation.Complete => job.Complete(Worker, _later),
        Operation.Fail => job.Fail(Worker, "engine.failed", "The engine failed.", _later),
        Operation.ScheduleRetry => job.ScheduleRetry(Worker, "engine.timeout", "The engine timed out.", _later.AddSeconds(30), _later),
        Operation.ReleaseExpiredLease => job.ReleaseExpiredLease(_later),
        Operation.Release => job.Release(Worker, _later),
        Operation.Cancel => job.Cancel(_later),
        Operation.Retry => job.Retry(_later),
        _ => throw new ArgumentOutOfRangeException(nameof(operation)),
    };
}
