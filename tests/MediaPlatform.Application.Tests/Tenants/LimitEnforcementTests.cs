using MapsterMapper;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Application.Jobs.SubmitJob;
using MediaPlatform.Application.Media.UploadMedia;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace MediaPlatform.Application.Tests.Tenants;

public sealed class LimitEnforcementTests
{
    private const long MaxUploadBytes = 100;
    private static readonly DateTimeOffset _now = new(2026, 1, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly string _sha = new('c', 64);
    private readonly TenantId _tenantId = TenantId.New();
    private readonly IJobRepository _jobs = Substitute.For<IJobRepository>();
    private readonly IMediaAssetRepository _media = Substitute.For<IMediaAssetRepository>();
    private readonly IBlobStore _blobs = Substitute.For<IBlobStore>();
    private readonly ITransactionCallbacks _callbacks = Substitute.For<ITransactionCallbacks>();
    private readonly ITranscriptionEngineCatalog _engines = Substitute.For<ITranscriptionEngineCatalog>();
    private readonly ITenantUsage _usage = Substitute.For<ITenantUsage>();
    private readonly FakeTimeProvider _time = new(_now);
    private readonly IMapper _mapper = new Mapper(DependencyInjection.CreateMappingConfig());
    private readonly TenantContext _tenant = new();

    public LimitEnforcementTests()
    {
        // Unknown names must answer null (NSubstitute would otherwise return an automatic substitute).
        _engines.Find(Arg.Any<string?>()).Returns((ITranscriptionEngine?)null);
        _engines.Find(Arg.Is<string?>(n => n == null || n == "pocketsphinx")).Returns(Substitute.For<ITranscriptionEngine>());
        _engines.Names.Returns(["pocketsphinx"]);
    }

    // maxQueuedJobs

    [Theory]
    [InlineData(3, 3)]
    [InlineData(3, 4)]
    [InlineData(1, 1)]
    public async Task A_job_is_refused_when_the_tenant_already_has_its_maximum_of_queued_jobs(int maxQueued, int queued)
    {
        ActAs(new TenantLimits(MaxQueuedJobs: maxQueued));
        Usage(queuedJobs: queued);
        var media = ReadyMedia(TimeSpan.FromSeconds(10));

        var result = await SubmitJob().Handle(new SubmitJobCommand(media.Id.Value), default);

        Assert.True(result.IsFailure);
        Assert.Equal("tenant.max_queued_jobs", result.Error!.Code);
        Assert.Equal(ErrorType.QuotaExceeded, result.Error.Type);
        Assert.Contains("maxQueuedJobs", result.Error.Message, StringComparison.Ordinal);
        _jobs.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(3, 0)]
    public async Task A_job_is_queued_while_the_tenant_is_below_its_maximum_of_queued_jobs(int maxQueued, int queued)
    {
        ActAs(new TenantLimits(MaxQueuedJobs: maxQueued));
        Usage(queuedJobs: queued);
        var media = ReadyMedia(TimeSpan.FromSeconds(10));

        var result = await SubmitJob().Handle(new SubmitJobCommand(media.Id.Value), default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        _jobs.Received(1).Add(Arg.Is<Job>(j => j.Id.Value == result.Value.Id));
        await _usage.Received(1).GetAsync(_tenantId, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Queued_jobs_are_not_counted_when_the_tenant_has_no_maximum()
    {
        ActAs(new TenantLimits(RequestsPerMinute: 10, StorageBytes: 1000, MaxMediaSeconds: 600));
        var media = ReadyMedia(TimeSpan.FromSeconds(10));

        var result = await SubmitJob().Handle(new SubmitJobCommand(media.Id.Value), default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        await _usage.DidNotReceiveWithAnyArgs().GetAsync(default, default);
        _jobs.Received(1).Add(Arg.Any<Job>());
    }

    // maxMediaSeconds

    [Fact]
    public async Task A_job_on_probed_media_longer_than_the_tenant_allows_is_unprocessable()
    {
        ActAs(new TenantLimits(MaxMediaSeconds: 60));
        var media = ReadyMedia(TimeSpan.FromSeconds(61));

        var result = await SubmitJob().Handle(new SubmitJobCommand(media.Id.Value), default);

        Assert.True(result.IsFailure);
        Assert.Equal("tenant.max_media_seconds", result.Error!.Code);
        Assert.Equal(ErrorType.Unprocessable, result.Error.Type);
        Assert.Contains("61 s", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("(60 s)", result.Error.Message, StringComparison.Ordinal);
        _jobs.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(1)]
    public async Task A_job_on_probed_media_within_the_tenant_length_limit_is_queued(int seconds)
    {
        ActAs(new TenantLimits(MaxMediaSeconds: 60));
        var media = ReadyMedia(TimeSpan.FromSeconds(seconds));

        var result = await SubmitJob().Handle(new SubmitJobCommand(media.Id.Value), default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        _jobs.Received(1).Add(Arg.Any<Job>());
    }

    [Fact]
    public async Task Media_a_fraction_of_a_second_over_the_length_limit_is_refused()
    {
        ActAs(new TenantLimits(MaxMediaSeconds: 60));
        var media = ReadyMedia(TimeSpan.FromMilliseconds(60_001));

        var result = await SubmitJob().Handle(new SubmitJobCommand(media.Id.Value), default);

        Assert.Equal("tenant.max_media_seconds", result.Error?.Code);
    }

    [Fact]
    public async Task Media_not_yet_probed_is_accepted_since_its_length_is_unknown_until_the_worker_probes_it()
    {
        ActAs(new TenantLimits(MaxMediaSeconds: 60));
        var media = MediaAsset.FromUpload("a.wav", "audio/wav", "k/" + Guid.NewGuid(), 1, _sha, _now).Value;
        _media.ReadAsync(media.Id, Arg.Any<CancellationToken>()).Returns(media);

        var result = await SubmitJob().Handle(new SubmitJobCommand(media.Id.Value), default);

        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    [Fact]
    public async Task Long_media_is_accepted_when_the_tenant_has_no_length_limit()
    {
        ActAs(TenantLimits.None);
        var media = ReadyMedia(TimeSpan.FromHours(10));

        var result = await SubmitJob().Handle(new SubmitJobCommand(media.Id.Value), default);

        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    [Fact]
    public async Task A_job_of_a_tenant_with_retention_shows_when_it_expires()
    {
        ActAs(new TenantLimits(RetentionDays: 7));
        var media = ReadyMedia(TimeSpan.FromSeconds(10));

        var result = await SubmitJob().Handle(new SubmitJobCommand(media.Id.Value), default);

        Assert.Equal(_now.AddDays(7), result.Value.ExpiresAt);
    }

    // storageBytes

    [Theory]
    [InlineData(1000L, 1000L)]
    [InlineData(1000L, 1500L)]
    public async Task An_upload_is_refused_without_storing_anything_when_the_tenant_storage_is_full(long quota, long used)
    {
        ActAs(new TenantLimits(StorageBytes: quota));
        Usage(storageBytes: used);

        var result = await UploadMedia().Handle(new UploadMediaCommand(Stream.Null, "a.wav", "audio/wav"), default);

        Assert.True(result.IsFailure);
        Assert.Equal("tenant.storage_bytes", result.Error!.Code);
        Assert.Equal(ErrorType.InsufficientStorage, result.Error.Type);
        Assert.Contains("storageBytes", result.Error.Message, StringComparison.Ordinal);
        await _blobs.DidNotReceiveWithAnyArgs().SaveAsync(default!, default, default);
        _media.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Theory]
    [InlineData(1000L, 960L, 40L)]
    [InlineData(1000L, 999L, 1L)]
    [InlineData(1000L, 900L, MaxUploadBytes)]
    [InlineData(1000L, 0L, MaxUploadBytes)]
    [InlineData(50L, 0L, 50L)]
    public async Task An_upload_is_capped_at_the_smaller_of_the_upload_limit_and_the_storage_left(long quota, long used, long expectedMaxBytes)
    {
        ActAs(new TenantLimits(StorageBytes: quota));
        Usage(storageBytes: used);
        _blobs.SaveAsync(Arg.Any<Stream>(), Arg.Any<long>(), Arg.Any<CancellationToken>()).Returns(new StoredBlob("2026/01/20/abc", 1, _sha));

        var result = await UploadMedia().Handle(new UploadMediaCommand(Stream.Null, "a.wav", "audio/wav"), default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        await _blobs.Received(1).SaveAsync(Arg.Any<Stream>(), expectedMaxBytes, Arg.Any<CancellationToken>());
        await _usage.Received(1).GetAsync(_tenantId, Arg.Any<CancellationToken>());
        _media.Received(1).Add(Arg.Any<MediaAsset>());
    }

    [Fact]
    public async Task An_upload_too_large_for_the_storage_left_is_refused_as_storage_full()
    {
        ActAs(new TenantLimits(StorageBytes: 1000));
        Usage(storageBytes: 960);
        _blobs.SaveAsync(Arg.Any<Stream>(), 40, Arg.Any<CancellationToken>()).Returns(Error.TooLarge("media.too_large", "too large"));

        var result = await UploadMedia().Handle(new UploadMediaCommand(Stream.Null, "a.wav", "audio/wav"), default);

        Assert.Equal("tenant.storage_bytes", result.Error?.Code);
        Assert.Equal(ErrorType.InsufficientStorage, result.Error?.Type);
        Assert.Contains("1000", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("960", result.Error.Message, StringComparison.Ordinal);
        _media.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task An_upload_too_large_for_the_upload_limit_stays_too_large_when_storage_is_left()
    {
        ActAs(new TenantLimits(StorageBytes: 1_000_000));
        Usage(storageBytes: 10);
        _blobs.SaveAsync(Arg.Any<Stream>(), MaxUploadBytes, Arg.Any<CancellationToken>()).Returns(Error.TooLarge("media.too_large", "too large"));

        var result = await UploadMedia().Handle(new UploadMediaCommand(Stream.Null, "a.wav", "audio/wav"), default);

        Assert.Equal("media.too_large", result.Error?.Code);
        Assert.Equal(ErrorType.TooLarge, result.Error?.Type);
    }

    [Fact]
    public async Task Another_store_failure_under_the_storage_cap_is_passed_on()
    {
        ActAs(new TenantLimits(StorageBytes: 1000));
        Usage(storageBytes: 960);
        _blobs.SaveAsync(Arg.Any<Stream>(), 40, Arg.Any<CancellationToken>())
            .Returns(Error.InsufficientStorage("storage.full", "The disk is full."));

        var result = await UploadMedia().Handle(new UploadMediaCommand(Stream.Null, "a.wav", "audio/wav"), default);

        Assert.Equal("storage.full", result.Error?.Code);
    }

    [Fact]
    public async Task Without_a_storage_limit_usage_is_not_counted_and_the_upload_limit_applies()
    {
        ActAs(new TenantLimits(MaxQueuedJobs: 5));
        _blobs.SaveAsync(Arg.Any<Stream>(), Arg.Any<long>(), Arg.Any<CancellationToken>()).Returns(new StoredBlob("2026/01/20/abc", 1, _sha));

        var result = await UploadMedia().Handle(new UploadMediaCommand(Stream.Null, "a.wav", "audio/wav"), default);

        Assert.True(result.IsSuccess, result.Error?.Message);
        await _usage.DidNotReceiveWithAnyArgs().GetAsync(default, default);
        await _blobs.Received(1).SaveAsync(Arg.Any<Stream>(), MaxUploadBytes, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Uploaded_media_of_a_tenant_with_retention_shows_when_it_expires()
    {
        ActAs(new TenantLimits(RetentionDays: 30));
        _blobs.SaveAsync(Arg.Any<Stream>(), Arg.Any<long>(), Arg.Any<CancellationToken>()).Returns(new StoredBlob("2026/01/20/abc", 1, _sha));

        var result = await UploadMedia().Handle(new UploadMediaCommand(Stream.Null, "a.wav", "audio/wav"), default);

        Assert.Equal(_now.AddDays(30), result.Value.ExpiresAt);
    }

    private void ActAs(TenantLimits limits) => _tenant.Set(_tenantId, limits);

    private void Usage(int queuedJobs = 0, long storageBytes = 0) =>
        _usage.GetAsync(_tenantId, Arg.Any<CancellationToken>()).Returns(new TenantUsage(0, queuedJobs, storageBytes));

    private MediaAsset ReadyMedia(TimeSpan duration)
    {
        var media = MediaAsset.FromUpload("a.wav", "audio/wav", "k/" + Guid.NewGuid(), 1, _sha, _now).Value;
        var probed = media.RecordProbe(new MediaStreamFacts(duration, "pcm_s16le", null, 1, 16000), _now);
        Assert.True(probed.IsSuccess, probed.Error?.Message);
        Assert.Equal(MediaStatus.Ready, media.Status);
        _media.ReadAsync(media.Id, Arg.Any<CancellationToken>()).Returns(media);
        return media;
    }

    private SubmitJobHandler SubmitJob() => new(
        _media, _jobs, _engines, _tenant, _usage, _time, _mapper, _callbacks, Substitute.For<ITenantRepository>(), Substitute.For<Webhooks.IWebhookUrlGuard>(), Substitute.For<Domain.Vocabularies.IVocabularyRepository>());

    private UploadMediaHandler UploadMedia() => new(_blobs, _media, new MediaLimits(MaxUploadBytes), _callbacks, _tenant, _usage, _time, _mapper);
}
