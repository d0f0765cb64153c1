using MediaPlatform.Infrastructure.Media;
using MediaPlatform.Infrastructure.Storage;
using MediaPlatform.TestSupport.Builders;
using MediaPlatform.TestSupport.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MediaPlatform.Infrastructure.Tests.Storage;

public sealed class LeftoverSweeperTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>, IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mp-leftovers-");
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("mp-leftover-scratch-");

    public void Dispose()
    {
        _root.Delete(recursive: true);
        _scratch.Delete(recursive: true);
    }

    [Fact]
    public async Task Old_partial_uploads_orphaned_blobs_and_dead_workers_scratch_are_removed_and_nothing_else()
    {
        var old = DateTime.UtcNow.AddHours(-2);
        var oldPartial = Write(".partial/a.part", old);
        var freshPartial = Write(".partial/b.part", DateTime.UtcNow);
        var media = TestData.UploadedMedia();
        await using (var db = fixture.CreateDbContext())
        {
            db.MediaAssets.Add(media);
            await db.SaveChangesAsync();
        }

        var referenced = Write(media.StorageKey!, old);
        var orphan = Write($"2026/01/20/{Guid.NewGuid():N}", old);
        var freshOrphan = Write($"2026/01/20/{Guid.NewGuid():N}", DateTime.UtcNow);
        var dead = Directory.CreateDirectory(Path.Combine(_scratch.FullName, $"{LocalMediaFiles.ScratchPrefix}999999999-{Guid.NewGuid():N}"));
        var alive = Directory.CreateDirectory(Path.Combine(_scratch.FullName, $"{LocalMediaFiles.ScratchPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"));
        var unrelated = Directory.CreateDirectory(Path.Combine(_scratch.FullName, "someone-else"));

        await using var dataSource = NpgsqlDataSource.Create(fixture.ConnectionString);
        var storage = Options.Create(new StorageOptions { RootPath = _root.FullName, LeftoverGraceMinutes = 60 });
        var sweeper = new LeftoverSweeper(
            new FileSystemBlobStore(storage, TimeProvider.System),
            storage,
            Options.Create(new ProcessingOptions { ScratchPath = _scratch.FullName }),
            dataSource,
            TimeProvider.System,
            NullLogger<LeftoverSweeper>.Instance);

        var report = await sweeper.SweepAsync();

        Assert.Equal(new LeftoverReport(1, 1, 1), report);
        Assert.False(File.Exists(oldPartial));
        Assert.False(File.Exists(orphan));
        Assert.False(dead.Exists && Directory.Exists(dead.FullName));
        Assert.True(File.Exists(freshPartial));
        Assert.True(File.Exists(referenced));
        Assert.True(File.Exists(freshOrphan));
        Assert.True(Directory.Exists(alive.FullName));
        Assert.True(Directory.Exists(unrelated.FullName));
    }

    private string Write(string key, DateTime modified)
    {
        var path = Path.Combine(_root.FullName, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "bytes");
        File.SetLastWriteTimeUtc(path, modified);
        return path;
    }
}
