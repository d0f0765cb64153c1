using MediaPlatform.Infrastructure.Persistence.Repositories;
using MediaPlatform.Infrastructure.Queue;
using MediaPlatform.TestSupport.Builders;
using MediaPlatform.TestSupport.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MediaPlatform.Infrastructure.Tests.Queue;

/// <summary>Leases are measured with the database's clock, whatever the clock of the host reading them says.</summary>
public sealed class LeaseClockTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task A_host_whose_clock_runs_ten_minutes_ahead_reaps_no_live_lease()
    {
        var connectionString = await fixture.Server.CreateMigratedDatabaseAsync();
        try
        {
            var now = DateTimeOffset.UtcNow;
            await using (var db = PostgresDatabaseFixture.CreateDbContext(connectionString))
            {
                var media = TestData.UploadedMedia(now.AddMinutes(-2));
                db.MediaAssets.Add(media);
                db.Jobs.Add(TestData.QueuedJob(media, now.AddMinutes(-1)));
                await db.SaveChangesAsync();
            }

            await using (var db = PostgresDatabaseFixture.CreateDbContext(connectionString))
            {
                Assert.NotNull(await new JobRepository(db).ClaimNextAsync("healthy", TimeSpan.FromMinutes(1), DateTimeOffset.UtcNow));
            }

            var ahead = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(10));
            await using var source = NpgsqlDataSource.Create(connectionString);
            var clock = new LeaseClock(source, ahead, NullLogger<LeaseClock>.Instance);

            await clock.SynchronizeAsync(CancellationToken.None);

            Assert.InRange(clock.Offset.TotalMinutes, -10.05, -9.95);
            await using (var db = PostgresDatabaseFixture.CreateDbContext(connectionString))
            {
                Assert.Equal(0, await new JobRepository(db).ReleaseExpiredLeasesAsync(clock.GetUtcNow(), 100));
            }

            // The host's own clock would have taken the healthy worker's job away.
            await using (var db = PostgresDatabaseFixture.CreateDbContext(connectionString))
            {
                Assert.Equal(1, await new JobRepository(db).ReleaseExpiredLeasesAsync(ahead.GetUtcNow(), 100));
            }
        }
        finally
        {
            await fixture.Server.DropDatabaseAsync(connectionString);
        }
    }
}
