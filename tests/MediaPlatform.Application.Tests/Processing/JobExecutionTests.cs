using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Application.Processing;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace MediaPlatform.Application.Tests.Processing;

/// <summary>The use case of running a claimed job, with its ports (pipeline, lease, tenants) substituted.</summary>
public sealed class JobExecutionTests : IAsyncDisposable
{
    private const string Owner = "host:1:abc";
    private static readonly DateTimeOffset _now = new(2026, 1, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly RetryPolicy _retries = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));

    private readonly IJobPipeline _pipeline = Substitute.For<IJobPipeline>();
    private readonly ITenantRepository _tenants = Substitute.For<ITenantRepository>();
    private readonly IJobProgress _progress = Substitute.For<IJobProgress>();
    private readonly FakeLease _lease = new();
    private readonly ServiceProvider _services;
    private readonly Job _job;

    public JobExecutionTests()
    {
        _services = new ServiceCollection()
            .AddScoped<TenantContext>()
            .AddScoped(_ => _pipeline)
            .AddScoped(_ => _tenants)
            .BuildServiceProvider();
        _job = Job.Submit(MediaAssetId.New(), JobKind.Transcription, JobOptions.Default, 0, _now).Value;
        _job.Start(Owner, _now.AddSeconds(30), _now);
        _lease.Current = _job;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    [Fact]
    public async Task A_finished_pipeline_completes_the_job_with_its_results_in_one_write()
    {
        var results = new PipelineResult(null, []);
        _pipeline.RunAsync(_job, _progress, Arg.Any<CancellationToken>()).Returns(results);

        var outcome = await Execution().RunAsync(_job, _lease, _progress, _retries, CancellationToken.None, CancellationToken.None);

        Assert.Equal(JobOutcome.Completed, outcome);
        Assert.Equal(JobStatus.Succeeded, _job.Status);
        Assert.Same(results, _lease.WrittenResults);
        await _progress.Received(1).FlushAsync();
    }

    [Fact]
    public async Task A_transient_failure_is_retried_later_as_the_job_decides()
    {
        _pipeline.RunAsync(_job, _progress, Arg.Any<CancellationToken>())
            .ThrowsAsync(new MediaProcessingException("engine.timeout", "The engine timed out.", isTransient: true));

        var outcome = await Execution().RunAsync(_job, _lease, _progress, _retries, CancellationToken.None, CancellationToken.None);

        Assert.Equal(JobOutcome.Retrying, outcome);
        Assert.Equal(JobStatus.Queued, _job.Status);
        Assert.InRange(_job.RunAfter, _now.AddSeconds(2.5), _now.AddSeconds(5));
        Assert.Equal("engine.timeout", _job.ErrorCode);
    }

    [Fact]
    public async Task A_permanent_failure_fails_the_job()
    {
        _pipeline.RunAsync(_job, _progress, Arg.Any<CancellationToken>())
            .ThrowsAsync(new MediaProcessingException("media.unreadable", "The file is not media.", isTransient: false));

        var outcome = await Execution().RunAsync(_job, _lease, _progress, _retries, CancellationToken.None, CancellationToken.None);

        Assert.Equal(JobOutcome.Failed, outcome);
        Assert.Equal(JobStatus.Failed, _job.Status);
    }

    [Fact]
    public async Task An_unexpected_error_is_retried_without_its_internals_reaching_the_caller()
    {
        _pipeline.RunAsync(_job, _progress, Arg.Any<CancellationToken>()).ThrowsAsync(new InvalidOperationException("/srv/secret/path exploded"));

        var outcome = await Execution().RunAsync(_job, _lease, _progress, _retries, CancellationToken.None, CancellationToken.None);

        Assert.Equal(JobOutcome.Retrying, outcome);
        Assert.Equal("processing.internal_error", _job.ErrorCode);
        Assert.DoesNotContain("/srv", _job.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_the_host_releases_the_job_without_charging_the_attempt()
    {
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();
        _pipeline.RunAsync(_job, _progress, Arg.Any<CancellationToken>()).ThrowsAsync(new OperationCanceledException());

        var outcome = await Execution().RunAsync(_job, _lease, _progress, _retries, stopping.Token, stopping.Token);

        Assert.Equal(JobOutcome.Released, outcome);
        Assert.Equal(JobStatus.Queued, _job.Status);
        Assert.Equal(0, _job.Attempts);
    }

    [Fact]
    public async Task Stopping_the_host_after_the_job_was_cancelled_ends_it_stopped_not_as_a_failed_release()
    {
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();
        _pipeline.RunAsync(_job, _progress, Arg.Any<CancellationToken>()).ThrowsAsync(new OperationCanceledException());
        _job.Cancel(_now);

        var outcome = await Execution().RunAsync(_job, _lease, _progress, _retries, stopping.Token, stopping.Token);

        Assert.Equal(JobOutcome.Stopped, outcome);
        Assert.Equal(JobStatus.Cancelled, _job.Status);
    }

    [Fact]
    public async Task Stopping_the_host_while_the_database_is_away_leaves_the_job_to_its_lease()
    {
        using var stopping = new CancellationTokenSource();
        await stopping.CancelAsync();
        _pipeline.RunAsync(_job, _progress, Arg.Any<CancellationToken>()).ThrowsAsync(new OperationCanceledException());
        _lease.Fail = true;

        var outcome = await Execution().RunAsync(_job, _lease, _progress, _retries, stopping.Token, stopping.Token);

        Assert.Equal(JobOutcome.LeaseLost, outcome);
        Assert.Equal(JobStatus.Running, _job.Status);
    }

    [Fact]
    public async Task A_cancelled_job_is_left_as_the_cancel_wrote_it()
    {
        _pipeline.RunAsync(_job, _progress, Arg.Any<CancellationToken>()).ThrowsAsync(new OperationCanceledException());

        var outcome = await Execution().RunAsync(_job, _lease, _progress, _retries, new CancellationToken(canceled: true), CancellationToken.None);

        Assert.Equal(JobOutcome.Stopped, outcome);
        Assert.Equal(0, _lease.Writes);
    }

    [Fact]
    public async Task A_cancellation_nobody_asked_for_is_a_transient_failure_not_a_cancel()
    {
        // A client library's own timeout surfaces as a cancellation while the job's work was never cancelled.
        _pipeline.RunAsync(_job, _progress, Arg.Any<CancellationToken>()).ThrowsAsync(new TaskCanceledException("The request timed out."));

        var outcome = await Execution().RunAsync(_job, _lease, _progress, _retries, CancellationToken.None, CancellationToken.None);

        Assert.Equal(JobOutcome.Retrying, outcome);
        Assert.Equal("processing.internal_error", _job.ErrorCode);
    }

    [Fact]
    public async Task A_completion_the_lease_refuses_is_reported_as_a_lost_lease()
    {
        _pipeline.RunAsync(_job, _progress, Arg.Any<CancellationToken>()).Returns(new PipelineResult(null, []));
        _lease.Refuse = true;

        var outcome = await Execution().RunAsync(_job, _lease, _progress, _retries, CancellationToken.None, CancellationToken.None);

        Assert.Equal(JobOutcome.LeaseLost, outcome);
        Assert.Equal(JobStatus.Running, _job.Status);
    }

    [Fact]
    public async Task The_pipeline_acts_for_the_jobs_tenant_with_its_limits()
    {
        var tenant = Tenant.Create("acme", new TenantLimits(MaxMediaSeconds: 60), _now).Value;
        var job = Job.Submit(MediaAssetId.New(), JobKind.Transcription, JobOptions.Default, 0, _now).Value;
        typeof(Job).GetProperty(nameof(Job.TenantId))!.SetValue(job, tenant.Id);
        job.Start(Owner, _now.AddSeconds(30), _now);
        _lease.Current = job;
        _tenants.GetAsync(tenant.Id, Arg.Any<CancellationToken>()).Returns(tenant);
        ICurrentTenant? seen = null;
        _pipeline.RunAsync(job, _progress, Arg.Any<CancellationToken>()).Returns(_ => new PipelineResult(null, []))
            .AndDoes(_ => seen = CurrentTenant.Value);

        await Execution().RunAsync(job, _lease, _progress, _retries, CancellationToken.None, CancellationToken.None);

        Assert.Equal(tenant.Id, seen?.TenantId);
        Assert.Equal(60, seen?.Limits.MaxMediaSeconds);
    }

    private JobExecution Execution() => new(new CapturingScopes(_services.GetRequiredService<IServiceScopeFactory>()), NullLogger<JobExecution>.Instance);

    /// <summary>The tenant context of the scope the pipeline was resolved in.</summary>
    private static readonly AsyncLocal<ICurrentTenant?> CurrentTenant = new();

    private sealed class CapturingScopes(IServiceScopeFactory inner) : IServiceScopeFactory
    {
        public IServiceScope CreateScope()
        {
            var scope = inner.CreateScope();
            CurrentTenant.Value = scope.ServiceProvider.GetRequiredService<TenantContext>();
            return scope;
        }
    }

    /// <summary>A lease over an in-memory job: every write applies the change to it, unless told to refuse.</summary>
    private sealed class FakeLease : IJobLease
    {
        public Job Current { get; set; } = null!;

        public bool Refuse { get; set; }

        /// <summary>Every try fails as an unreachable database would.</summary>
        public bool Fail { get; set; }

        public int Writes { get; private set; }

        public PipelineResult? WrittenResults { get; private set; }

        public string Owner => JobExecutionTests.Owner;

        public DateTimeOffset Now => _now;

        public Task<bool> FinishAsync(Func<Job, Result> change, PipelineResult? results = null)
        {
            Writes++;
            if (Refuse || change(Current).IsFailure)
            {
                return Task.FromResult(false);
            }

            WrittenResults = results;
            return Task.FromResult(true);
        }

        public Task<LeaseWrite> TryUpdateAsync(Func<Job, Result> change)
        {
            Writes++;
            if (Fail)
            {
                return Task.FromResult(LeaseWrite.Failed);
            }

            return Task.FromResult(!Refuse && change(Current).IsSuccess ? LeaseWrite.Saved : LeaseWrite.Refused);
        }
    }
}
