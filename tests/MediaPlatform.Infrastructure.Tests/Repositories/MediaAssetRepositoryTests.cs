using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Media;
using MediaPlatform.Infrastructure.Persistence.Repositories;
using MediaPlatform.TestSupport.Builders;
using MediaPlatform.TestSupport.Postgres;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Tests.Repositories;

public sealed class MediaAssetRepositoryTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Uploaded_media_and_its_probe_facts_round_trip()
    {
        var media = TestData.UploadedMedia(fileName: "../../etc/passwd\u0007.mp3");
        media.RecordProbe(new MediaStreamFacts(TimeSpan.FromSeconds(61.25), "mp3", null, 2, 44100), TestData.Epoch.AddSeconds(5));
        await using (var db = fixture.CreateDbContext())
        {
            new MediaAssetRepository(db).Add(media);
            await db.SaveChangesAsync();
        }

        await using var read = fixture.CreateDbContext();
        var loaded = (await new MediaAssetRepository(read).GetAsync(media.Id))!;

        Assert.Equal(MediaStatus.Ready, loaded.Status);
        Assert.Equal("passwd.mp3", loaded.OriginalFileName);
        Assert.Equal(media.Sha256, loaded.Sha256);
        Assert.Equal(1024, loaded.SizeBytes);
        Assert.Equal(TimeSpan.FromSeconds(61.25), loaded.Duration);
        Assert.Equal("mp3", loaded.AudioCodec);
        Assert.True(loaded.HasAudio);
        Assert.False(loaded.HasVideo);
        Assert.Equal(44100, loaded.SampleRate);
        Assert.True(await new MediaAssetRepository(read).ExistsAsync(media.Id));
        Assert.False(await new MediaAssetRepository(read).ExistsAsync(MediaAssetId.New()));
    }

    [Fact]
    public async Task Media_registered_by_url_is_stored_without_bytes()
    {
        var media = MediaAsset.FromUrl(new Uri("https://example.org/talks/keynote%201.ogg"), TestData.Epoch).Value;
        await using (var db = fixture.CreateDbContext())
        {
            new MediaAssetRepository(db).Add(media);
            await db.SaveChangesAsync();
        }

        await using var read = fixture.CreateDbContext();
        var loaded = (await new MediaAssetRepository(read).GetAsync(media.Id))!;

        Assert.Equal(MediaSource.Url, loaded.Source);
        Assert.Equal(MediaStatus.Registered, loaded.Status);
        Assert.Equal("keynote 1.ogg", loaded.OriginalFileName);
        Assert.Null(loaded.StorageKey);
    }

    [Fact]
    public async Task Deleting_media_that_has_jobs_is_refused_by_the_foreign_key()
    {
        var media = TestData.UploadedMedia();
        await using (var db = fixture.CreateDbContext())
        {
            db.MediaAssets.Add(media);
            db.Jobs.Add(TestData.QueuedJob(media));
            await db.SaveChangesAsync();
        }

        await using var delete = fixture.CreateDbContext();
        var repository = new MediaAssetRepository(delete);
        repository.Remove((await repository.GetAsync(media.Id))!);

        await Assert.ThrowsAsync<DbUpdateException>(() => delete.SaveChangesAsync());
    }

    [Fact]
    public async Task Listing_pages_newest_first_and_filters_by_status()
    {
        await using var setup = fixture.CreateDbContext();
        var created = new List<MediaAsset>();
        for (var i = 0; i < 5; i++)
        {
            var media = TestData.UploadedMedia(TestData.Epoch.AddYears(1).AddMinutes(i));
            created.Add(media);
            setup.MediaAssets.Add(media);
        }

        created[0].Reject("not decodable", TestData.Epoch);
        await setup.SaveChangesAsync();

        await using var db = fixture.CreateDbContext();
        var repository = new MediaAssetRepository(db);
        var first = await repository.ListAsync(null, 2, null);
        var second = await repository.ListAsync(null, 2, first.Next);
        var rejected = await repository.ListAsync(MediaStatus.Rejected, 10, null);

        Assert.Equal([created[4].Id, created[3].Id], first.Items.Select(m => m.Id));
        Assert.Equal([created[2].Id, created[1].Id], second.Items.Select(m => m.Id));
        Assert.Equal(new KeysetCursor(created[3].CreatedAt, created[3].Id.Value), first.Next);
        Assert.Contains(rejected.Items, m => m.Id == created[0].Id);
        Assert.All(rejected.Items, m => Assert.Equal(MediaStatus.Rejected, m.Status));
    }
}
