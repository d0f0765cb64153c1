using MapsterMapper;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Application.Jobs;
using MediaPlatform.Application.Jobs.CancelJob;
using MediaPlatform.Application.Jobs.DeleteJob;
using MediaPlatform.Application.Jobs.ListJobs;
using MediaPlatform.Application.Jobs.RetryJob;
using MediaPlatform.Application.Jobs.SubmitJob;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace MediaPlatform.Application.Tests.Jobs;

public sealed class JobHandlerTests
{
    private static readonly DateTimeOffset _now = new(2026, 1, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly IJobRepository _jobs = Substitute.For<IJobRepository>();
    private readonly IMediaAssetRepository _media = Substitute.For<IMediaAssetRepository>();
    private readonly FakeTimeProvider _time = new(_now);
    private readonly IMapper _mapper = new Mapper(DependencyInjection.CreateMappingConfig());
    private readonly ITranscriptionEngineCatalog _engines = Substitute.For<ITranscriptionEngineCatalog>();
    private readonly ITranscriptionEngine _engine = Substitute.For<ITranscriptionEngine>();
    private readonly TenantContext _tenant = new();
    private readonly ITenantUsage _usage = Substitute.For<ITenantUsage>();
    private readonly ITenantRepository _tenants = Substitute.For<ITenantRepository>();
    private readonly MediaPlatform.Application.Webhooks.IWebhookUrlGuard _guard = Substitute.For<MediaPlatform.Application.Webhooks.IWebhookUrlGuard>();
    private readonly MediaPlatform.Domain.Vocabularies.IVocabularyRepository _vocabularies = Substitute.For<MediaPlatform.Domain.Vocabularies.IVocabularyRepository>();

    public JobHandlerTests()
    {
        _tenant.Set(TenantId.Default, TenantLimits.None);
        // Unknown names must answer null (NSubstitute would otherwise return an automatic substitute).
        _engines.Find(Arg.Any<string?>()).Returns((ITranscriptionEngine?)null);
        _engines.Find(Arg.Is<string?>(n => n == null || n == "pocketsphinx")).Returns(_engine);
        _engines.Names.Returns(["pocketsphinx"]);
        _engine.Name.Returns("pocketsphinx");
        _engine.Transcribes(Arg.Any<string>()).Returns(false);
        _engine.Transcribes(Arg.Is<string>(l => l.StartsWith("en", StringComparison.Ordinal))).Returns(true);
    }

    [Fact]
    public async Task Submitting_a_job_for_unknown_media_returns_not_found()
    {
        var result = await SubmitHandler().Handle(new SubmitJobCommand(Guid.CreateVersion7()), default);

        Assert.Equal("media.not_found", result.Error?.Code);
        Assert.Equal(ErrorType.NotFound, result.Error?.Type);
        _jobs.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task A_job_using_a_saved_vocabulary_copies_its_terms_beside_its_own()
    {
        var media = StoredMedia();
        _media.ReadAsync(media.Id, Arg.Any<CancellationToken>()).Returns(media);
        var saved = MediaPlatform.Domain.Vocabularies.Vocabulary.Create("team", ["Kubernetes", "Anand"], _now).Value;
        _vocabularies.GetAsync(saved.Id, Arg.Any<CancellationToken>()).Returns(saved);

        var result = await SubmitHandler().Handle(new SubmitJobCommand(media.Id.Value, Vocabulary: ["Terraform", "anand"], VocabularyId: saved.Id), default);

        Assert.Equal(["Kubernetes", "Anand", "Terraform"], result.Value.Vocabulary);
    }

    [Fact]
    public async Task A_job_naming_a_vocabulary_that_does_not_exist_is_not_found_and_not_queued()
    {
        var media = StoredMedia();
        _media.ReadAsync(media.Id, Arg.Any<CancellationToken>()).Returns(media);

        var result = await SubmitHandler().Handle(new SubmitJobCommand(media.Id.Value, VocabularyId: Guid.CreateVersion7()), default);

        Assert.Equal("vocabulary.not_found", result.Error?.Code);
        _jobs.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Submitting_a_job_for_rejected_media_is_unprocessable()
    {
        var media = StoredMedia();
        media.Reject("not decodable", _now);
        _media.ReadAsync(media.Id, Arg.Any<CancellationToken>()).Returns(media);

        var result = await SubmitHandler().Handle(new SubmitJobCommand(media.Id.Value), default);

        Assert.Equal("media.rejected", result.Error?.Code);
        Assert.Equal(ErrorType.Unprocessable, result.Error?.Type);
    }

    [Fact]
    public async Task Submitting_a_job_queues_it_at_the_current_time_with_its_options()
    {
        var media = StoredMedia();
        _media.ReadAsync(media.Id, Arg.Any<CancellationToken>()).Returns(media);
        var command = new SubmitJobCommand(media.Id.Value, JobKind.Transcription, "en-US", [AnalysisKind.Summary, AnalysisKind.Summary], null, 9);

        var result = await SubmitHandler().Handle(command, default);

        Assert.True(result.IsSuccess);
        Assert.Equal(JobStatus.Queued, result.Value.Status);
        Assert.Equal(_now, result.Value.CreatedAt);
        Assert.Equal([AnalysisKind.Summary], result.Value.Analyses);
        _jobs.Received(1).Add(Arg.Is<Job>(j => j.Id.Value == result.Value.Id && j.Priority == 9 && j.Options.Language == "en-US"));
    }

    [Fact]
    public async Task A_job_with_its_own_webhook_is_refused_while_the_tenant_has_no_job_webhook_secret()
    {
        var media = StoredMedia();
        _media.ReadAsync(media.Id, Arg.Any<CancellationToken>()).Returns(media);
        _tenants.GetAsync(Arg.Any<TenantId>(), Arg.Any<CancellationToken>()).Returns(Tenant.Create("t", null, _now).Value);

        var result = await SubmitHandler().Handle(new SubmitJobCommand(media.Id.Value, Webhook: new JobWebhookRequest("https://example.com/h")), default);

        Assert.Equal("webhook.secret_missing", result.Error?.Code);
        _jobs.DidNotReceiveWithAnyArgs().Add(default!);
        await _guard.DidNotReceiveWithAnyArgs().CheckAsync(default!, default);
    }

    [Fact]
    public async Task Submitting_a_job_for_an_engine_that_does_not_exist_is_a_validation_error()
    {
        var media = StoredMedia();
        _media.ReadAsync(media.Id, Arg.Any<CancellationToken>()).Returns(media);

        var result = await SubmitHandler().Handle(new SubmitJobCommand(media.Id.Value, Engine: "whisper"), default);

        Assert.Equal("job.engine_unknown", result.Error?.Code);
        Assert.Contains("pocketsphinx", result.Error!.Message, StringComparison.Ordinal);
        _jobs.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task A_language_the_chosen_engine_cannot_transcribe_is_refused_at_submission_not_failed_later()
    {
        var media = StoredMedia();
        _media.ReadAsync(media.Id, Arg.Any<CancellationToken>()).Returns(media);

        var result = await SubmitHandler().Handle(new SubmitJobCommand(media.Id.Value, JobKind.Transcription, "fr"), default);

        Assert.Equal(("engine.language_unsupported", ErrorType.Validation, "language"), (result.Error?.Code, result.Error?.Type, result.Error?.Field));
        Assert.Contains("'fr'", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("Transcription__OpenAi__BaseUrl", result.Error.Message, StringComparison.Ordinal); // what to do about it
        _jobs.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task An_analysis_job_is_not_refused_for_its_language_since_it_transcribes_nothing()
    {
        var media = StoredMedia();
        _media.ReadAsync(media.Id, Arg.Any<CancellationToken>()).Returns(media);

        var result = await SubmitHandler().Handle(new SubmitJobCommand(media.Id.Value, JobKind.Analysis, "fr", [AnalysisKind.Keywords]), default);

        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    [Fact]
    public async Task Cancelling_a_finished_job_is_rejected()
    {
        var job = QueuedJob();
        job.Cancel(_now);
        _jobs.GetAsync(job.Id, Arg.Any<CancellationToken>()).Returns(job);

        var result = await new CancelJobHandler(_jobs, _time, _mapper, _tenant).Handle(new CancelJobCommand(job.Id.Value), default);

        Assert.Equal("job.invalid_transition", result.Error?.Code);
        Assert.Equal(ErrorType.Conflict, result.Error?.Type);
    }

    [Fact]
    public async Task Cancelling_a_queued_job_cancels_it()
    {
        var job = QueuedJob();
        _jobs.GetAsync(job.Id, Arg.Any<CancellationToken>()).Returns(job);
        _time.Advance(TimeSpan.FromMinutes(2));

        var result = await new CancelJobHandler(_jobs, _time, _mapper, _tenant).Handle(new CancelJobCommand(job.Id.Value), default);

        Assert.Equal(JobStatus.Cancelled, result.Value.Status);
        Assert.Equal(_now.AddMinutes(2), result.Value.FinishedAt);
    }

    [Fact]
    public async Task Cancelling_an_unknown_job_returns_not_found()
    {
        var result = await new CancelJobHandler(_jobs, _time, _mapper, _tenant).Handle(new CancelJobCommand(Guid.CreateVersion7()), default);

        Assert.Equal("job.not_found", result.Error?.Code);
    }

    [Fact]
    public async Task Retrying_a_job_when_the_tenants_queue_is_full_is_refused_and_changes_nothing()
    {
        var job = QueuedJob();
        job.Cancel(_now);
        _jobs.GetAsync(job.Id, Arg.Any<CancellationToken>()).Returns(job);
        var limited = new TenantContext();
        limited.Set(TenantId.Default, new TenantLimits(MaxQueuedJobs: 2));
        _usage.GetAsync(TenantId.Default, Arg.Any<CancellationToken>()).Returns(new TenantUsage(0, 2, 0));

        var result = await new RetryJobHandler(_jobs, _time, _mapper, limited, _usage).Handle(new RetryJobCommand(job.Id.Value), default);

        Assert.Equal("tenant.max_queued_jobs", result.Error?.Code);
        Assert.Equal(JobStatus.Cancelled, job.Status);
    }

    [Fact]
    public async Task Retrying_a_queued_job_is_rejected_and_retrying_a_cancelled_one_queues_it()
    {
        var job = QueuedJob();
        _jobs.GetAsync(job.Id, Arg.Any<CancellationToken>()).Returns(job);
        var handler = new RetryJobHandler(_jobs, _time, _mapper, _tenant, _usage);

        var early = await handler.Handle(new RetryJobCommand(job.Id.Value), default);
        job.Cancel(_now);
        var retried = await handler.Handle(new RetryJobCommand(job.Id.Value), default);

        Assert.Equal("job.invalid_transition", early.Error?.Code);
        Assert.Equal(JobStatus.Queued, retried.Value.Status);
    }

    [Fact]
    public async Task Deleting_a_running_job_is_refused()
    {
        var job = QueuedJob();
        job.Start("w", _now.AddMinutes(1), _now);
        _jobs.GetAsync(job.Id, Arg.Any<CancellationToken>()).Returns(job);

        var result = await new DeleteJobHandler(_jobs).Handle(new DeleteJobCommand(job.Id.Value), default);

        Assert.Equal("job.running", result.Error?.Code);
        _jobs.DidNotReceiveWithAnyArgs().Remove(default!);
    }

    [Fact]
    public async Task Deleting_a_queued_job_removes_it()
    {
        var job = QueuedJob();
        _jobs.GetAsync(job.Id, Arg.Any<CancellationToken>()).Returns(job);

        var result = await new DeleteJobHandler(_jobs).Handle(new DeleteJobCommand(job.Id.Value), default);

        Assert.True(result.IsSuccess);
        _jobs.Received(1).Remove(job);
    }

    [Fact]
    public async Task Listing_passes_filters_and_cursor_through_and_encodes_the_next_cursor()
    {
        var media = Guid.CreateVersion7();
        var after = new KeysetCursor(_now, Guid.CreateVersion7());
        var next = new KeysetCursor(_now.AddSeconds(-5), Guid.CreateVersion7());
        _jobs.ListAsync(Arg.Any<JobListFilter>(), 2, after, Arg.Any<CancellationToken>())
            .Returns(new Page<Job>([QueuedJob(), QueuedJob()], next));

        var result = await new ListJobsHandler(_jobs, _mapper, _tenant).Handle(
            new ListJobsQuery(JobStatus.Queued, null, media, null, null, 2, CursorCodec.Encode(after)), default);

        Assert.Equal(2, result.Value.Items.Count);
        Assert.Equal(CursorCodec.Encode(next), result.Value.NextCursor);
        await _jobs.Received(1).ListAsync(
            Arg.Is<JobListFilter>(f => f.Status == JobStatus.Queued && f.MediaAssetId == new MediaAssetId(media)),
            2, after, Arg.Any<CancellationToken>());
    }

    [Theory]
    [InlineData("en-US", null, 0, true)]
    [InlineData("english please", null, 0, false)]
    [InlineData(null, "Pocket Sphinx", 0, false)]
    [InlineData(null, null, 101, false)]
    public void The_submit_validator_checks_language_engine_and_priority(string? language, string? engine, int priority, bool valid) =>
        Assert.Equal(valid, new SubmitJobValidator().Validate(new SubmitJobCommand(Guid.CreateVersion7(), JobKind.Transcription, language, null, engine, priority)).IsValid);

    [Fact]
    public void An_analysis_job_needs_analyses() =>
        Assert.Contains(
            new SubmitJobValidator().Validate(new SubmitJobCommand(Guid.CreateVersion7(), JobKind.Analysis)).Errors,
            e => e.PropertyName == "Analyses");

    [Theory]
    [InlineData(0, null, false)]
    [InlineData(201, null, false)]
    [InlineData(200, null, true)]
    [InlineData(10, "bogus", false)]
    public void The_list_validator_checks_limit_and_cursor(int limit, string? cursor, bool valid) =>
        Assert.Equal(valid, new ListJobsValidator().Validate(new ListJobsQuery(Limit: limit, Cursor: cursor)).IsValid);

    private static MediaAsset StoredMedia() =>
        MediaAsset.FromUpload("a.wav", "audio/wav", "k/" + Guid.NewGuid(), 1, new string('b', 64), _now).Value;

    private SubmitJobHandler SubmitHandler() =>
        new(_media, _jobs, _engines, _tenant, _usage, _time, _mapper, Substitute.For<MediaPlatform.Application.Common.ITransactionCallbacks>(), _tenants, _guard, _vocabularies);

    private static Job QueuedJob() => Job.Submit(MediaAssetId.New(), JobKind.Transcription, JobOptions.Default, 0, _now).Value;
}
