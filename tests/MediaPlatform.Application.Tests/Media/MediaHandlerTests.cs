using MapsterMapper;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Application.Media.DeleteMedia;
using MediaPlatform.Application.Media.RegisterMediaUrl;
using MediaPlatform.Application.Media.UploadMedia;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace MediaPlatform.Application.Tests.Media;

public sealed class MediaHandlerTests
{
    private static readonly DateTimeOffset _now = new(2026, 1, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly string _sha = new('c', 64);
    private readonly IBlobStore _blobs = Substitute.For<IBlobStore>();
    private readonly IMediaAssetRepository _media = Substitute.For<IMediaAssetRepository>();
    private readonly IJobRepository _jobs = Substitute.For<IJobRepository>();
    private readonly ITransactionCallbacks _callbacks = Substitute.For<ITransactionCallbacks>();
    private readonly IUrlGuard _guard = Substitute.For<IUrlGuard>();
    private readonly FakeTimeProvider _time = new(_now);
    private readonly IMapper _mapper = new Mapper(DependencyInjection.CreateMappingConfig());
    private readonly TenantContext _tenant = new();
    private readonly ITenantUsage _usage = Substitute.For<ITenantUsage>();

    public MediaHandlerTests() => _tenant.Set(TenantId.Default, TenantLimits.None);

    [Fact]
    public async Task Uploading_a_file_that_is_not_media_stores_nothing()
    {
        var result = await Upload().Handle(new UploadMediaCommand(Stream.Null, "a.txt", "text/plain"), default);

        Assert.Equal(ErrorType.UnsupportedMediaType, result.Error?.Type);
        await _blobs.DidNotReceiveWithAnyArgs().SaveAsync(default!, default, default);
    }

    [Fact]
    public async Task An_upload_the_store_refuses_is_passed_on_and_nothing_is_added()
    {
        _blobs.SaveAsync(Arg.Any<Stream>(), 100, Arg.Any<CancellationToken>()).Returns(Error.TooLarge("media.too_large", "too large"));

        var result = await Upload().Handle(new UploadMediaCommand(Stream.Null, "a.wav", "audio/wav"), default);

        Assert.Equal("media.too_large", result.Error?.Code);
        _media.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task A_stored_upload_is_added_and_its_blob_is_deleted_if_the_commit_fails()
    {
        _blobs.SaveAsync(Arg.Any<Stream>(), 100, Arg.Any<CancellationToken>()).Returns(new StoredBlob("2026/01/20/abc", 42, _sha));
        Func<CancellationToken, Task>? onFailed = null;
        _callbacks.OnFailed(Arg.Do<Func<CancellationToken, Task>>(f => onFailed = f));

        var result = await Upload().Handle(new UploadMediaCommand(Stream.Null, "../x/a.wav", "audio/wav; codecs=1"), default);

        Assert.Equal(42, result.Value.SizeBytes);
        Assert.Equal("a.wav", result.Value.FileName);
        Assert.Equal("audio/wav", result.Value.ContentType);
        _media.Received(1).Add(Arg.Is<MediaAsset>(m => m.StorageKey == "2026/01/20/abc"));
        await onFailed!(default);
        await _blobs.Received(1).DeleteAsync("2026/01/20/abc", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_url_the_guard_refuses_is_not_registered()
    {
        _guard.CheckAsync(Arg.Any<Uri>(), Arg.Any<CancellationToken>()).Returns(Error.Validation("media.url_forbidden", "private"));

        var result = await new RegisterMediaUrlHandler(_guard, _media, _time, _mapper, _tenant).Handle(new RegisterMediaUrlCommand("http://10.0.0.1/a.mp3"), default);

        Assert.Equal("media.url_forbidden", result.Error?.Code);
        _media.DidNotReceiveWithAnyArgs().Add(default!);
    }

    [Fact]
    public async Task Deleting_media_in_use_is_refused()
    {
        var media = StoredMedia();
        _media.GetAsync(media.Id, Arg.Any<CancellationToken>()).Returns(media);
        _jobs.AnyActiveForMediaAsync(media.Id, Arg.Any<CancellationToken>()).Returns(true);

        var result = await Delete().Handle(new DeleteMediaCommand(media.Id.Value), default);

        Assert.Equal("media.in_use", result.Error?.Code);
        _media.DidNotReceiveWithAnyArgs().Remove(default!);
    }

    [Fact]
    public async Task Deleting_media_removes_its_finished_jobs_and_deletes_the_blob_only_after_commit()
    {
        var media = StoredMedia();
        var finished = Job.Submit(media.Id, JobKind.Transcription, JobOptions.Default, 0, _now).Value;
        finished.Cancel(_now);
        _media.GetAsync(media.Id, Arg.Any<CancellationToken>()).Returns(media);
        _jobs.ListAllForMediaAsync(media.Id, Arg.Any<CancellationToken>()).Returns([finished]);
        Func<CancellationToken, Task>? onCommitted = null;
        _callbacks.OnCommitted(Arg.Do<Func<CancellationToken, Task>>(f => onCommitted = f));

        var result = await Delete().Handle(new DeleteMediaCommand(media.Id.Value), default);

        Assert.True(result.IsSuccess);
        _jobs.Received(1).Remove(finished);
        _media.Received(1).Remove(media);
        await _blobs.DidNotReceiveWithAnyArgs().DeleteAsync(default!, default);
        await onCommitted!(default);
        await _blobs.Received(1).DeleteAsync(media.StorageKey!, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Deleting_unknown_media_is_not_found() =>
        Assert.Equal("media.not_found", (await Delete().Handle(new DeleteMediaCommand(Guid.CreateVersion7()), default)).Error?.Code);

    private UploadMediaHandler Upload() => new(_blobs, _media, new MediaLimits(100), _callbacks, _tenant, _usage, _time, _mapper);

    private DeleteMediaHandler Delete() => new(_media, _jobs, _blobs, _callbacks);

    private static MediaAsset StoredMedia() => MediaAsset.FromUpload("a.wav", "audio/wav", "2026/01/20/k", 1, _sha, _now).Value;
}
