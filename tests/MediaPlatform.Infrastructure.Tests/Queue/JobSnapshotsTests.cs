using MediaPlatform.Domain.Jobs;
using MediaPlatform.Infrastructure.Queue;
using MediaPlatform.TestSupport.Builders;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Tests.Queue;

/// <summary>
/// The snapshots <c>GET /api/v1/jobs/{id}</c> reads: only while every change is heard, never of a running job, and
/// never one read before a change that was announced during the read.
/// </summary>
public sealed class JobSnapshotsTests
{
    private readonly JobEventHub _hub = new();
    private readonly JobSnapshots _snapshots;
    private readonly Job _queued = TestData.QueuedJob(TestData.UploadedMedia());

    public JobSnapshotsTests()
    {
        _snapshots = new JobSnapshots(_hub, Microsoft.Extensions.Options.Options.Create(new QueueOptions()));
        _hub.Resync(); // the listener connected
    }

    [Fact]
    public void A_queued_job_read_while_the_listener_hears_every_change_is_served_again()
    {
        ReadAndKeep(_snapshots, _queued);

        Assert.True(_snapshots.TryGet(_queued.Id, out var kept));
        Assert.Same(_queued, kept);
    }

    [Fact]
    public void The_announcement_of_a_change_makes_the_snapshot_go()
    {
        ReadAndKeep(_snapshots, _queued);

        _hub.Publish(new JobEvent(_queued.Id.Value, "running", 0, null));

        Assert.False(_snapshots.TryGet(_queued.Id, out _));
    }

    [Fact]
    public void A_read_that_began_before_an_announced_change_is_not_kept()
    {
        var readAt = _snapshots.BeginRead();
        _hub.Publish(new JobEvent(_queued.Id.Value, "cancelled", 0, null)); // announced while the read ran

        _snapshots.Keep(_queued, readAt);
        _snapshots.EndRead();

        Assert.False(_snapshots.TryGet(_queued.Id, out _));
    }

    [Fact]
    public void A_running_job_is_never_kept()
    {
        var running = TestData.QueuedJob(TestData.UploadedMedia());
        Assert.True(running.Start("w", DateTimeOffset.UtcNow.AddMinutes(1), DateTimeOffset.UtcNow).IsSuccess);

        ReadAndKeep(_snapshots, running);

        Assert.False(_snapshots.TryGet(running.Id, out _));
    }

    [Fact]
    public void Nothing_is_served_or_kept_while_the_listener_is_away_and_everything_goes_when_it_reconnects()
    {
        ReadAndKeep(_snapshots, _queued);

        _hub.ListenerLost();
        Assert.False(_snapshots.TryGet(_queued.Id, out _));
        ReadAndKeep(_snapshots, _queued);

        _hub.Resync();
        Assert.False(_snapshots.TryGet(_queued.Id, out _));
    }

    [Fact]
    public void With_no_lifetime_configured_nothing_is_kept()
    {
        var snapshots = new JobSnapshots(_hub, Microsoft.Extensions.Options.Options.Create(new QueueOptions { JobSnapshotSeconds = 0 }));

        ReadAndKeep(snapshots, _queued);

        Assert.False(snapshots.TryGet(_queued.Id, out _));
    }

    [Fact]
    public void Before_the_listener_first_connects_nothing_is_kept()
    {
        var snapshots = new JobSnapshots(new JobEventHub(), Microsoft.Extensions.Options.Options.Create(new QueueOptions()));

        ReadAndKeep(snapshots, _queued);

        Assert.False(snapshots.TryGet(_queued.Id, out _));
    }

    /// <summary>A read of <paramref name="job"/> with nothing announced while it ran, as <c>JobRepository</c> makes it.</summary>
    internal static void ReadAndKeep(JobSnapshots snapshots, Job job)
    {
        var readAt = snapshots.BeginRead();
        snapshots.Keep(job, readAt);
        snapshots.EndRead();
    }
}

/// <summary>A unit of work saving a job makes this process forget its snapshot, without waiting for the announcement.</summary>
public sealed class JobSnapshotInvalidationTests(MediaPlatform.TestSupport.Postgres.PostgresDatabaseFixture fixture)
    : IClassFixture<MediaPlatform.TestSupport.Postgres.PostgresDatabaseFixture>
{
    [Fact]
    public async Task Saving_a_change_to_a_job_forgets_its_snapshot_in_this_process()
    {
        var hub = new JobEventHub();
        var snapshots = new JobSnapshots(hub, Microsoft.Extensions.Options.Options.Create(new QueueOptions { JobSnapshotSeconds = 600 }));
        hub.Resync();
        var media = TestData.UploadedMedia();
        var job = TestData.QueuedJob(media, DateTimeOffset.UtcNow);
        await using (var db = Context(snapshots))
        {
            db.MediaAssets.Add(media);
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
        }

        JobSnapshotsTests.ReadAndKeep(snapshots, job);
        Assert.True(snapshots.TryGet(job.Id, out _));

        await using (var db = Context(snapshots))
        {
            var stored = await db.Jobs.SingleAsync(j => j.Id == job.Id);
            Assert.True(stored.Cancel(DateTimeOffset.UtcNow).IsSuccess);
            await db.SaveChangesAsync();
        }

        Assert.False(snapshots.TryGet(job.Id, out _));
    }

    private MediaPlatform.Infrastructure.Persistence.MediaPlatformDbContext Context(JobSnapshots snapshots)
    {
        var options = new DbContextOptionsBuilder<MediaPlatform.Infrastructure.Persistence.MediaPlatformDbContext>();
        MediaPlatform.Infrastructure.Persistence.PersistenceSetup.Configure(
            options, fixture.ConnectionString, new MediaPlatform.Infrastructure.Persistence.DatabaseOptions { ConnectionString = fixture.ConnectionString });
        options.AddInterceptors(new JobSnapshotInvalidation(snapshots));
        return new MediaPlatform.Infrastructure.Persistence.MediaPlatformDbContext(options.Options);
    }
}
