using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Infrastructure.Persistence;
using MediaPlatform.Infrastructure.Persistence.Repositories;
using MediaPlatform.TestSupport.Builders;
using MediaPlatform.TestSupport.Postgres;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Tests.Repositories;

public sealed class JobRepositoryTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly TimeSpan _lease = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_claim_held_up_for_longer_than_its_lease_commits_a_lease_that_has_not_run_out()
    {
        var connectionString = await fixture.Server.CreateMigratedDatabaseAsync();
        try
        {
            var media = TestData.UploadedMedia();
            var queued = TestData.QueuedJob(media, TestData.Epoch);
            DateTimeOffset now;
            await using (var db = PostgresDatabaseFixture.CreateDbContext(connectionString))
            {
                db.MediaAssets.Add(media);
                db.Jobs.Add(queued);
                await db.SaveChangesAsync();
                now = await db.Database.SqlQuery<DateTimeOffset>($"SELECT clock_timestamp() AS \"Value\"").SingleAsync();
            }

            // Another transaction holds the job table, as a cold process's first claim is held up compiling its
            // queries: the claim waits longer than its 1 s lease before it can write.
            await using var blocker = new Npgsql.NpgsqlConnection(connectionString);
            await blocker.OpenAsync();
            await using var hold = await blocker.BeginTransactionAsync();
            await using (var lockTable = new Npgsql.NpgsqlCommand("LOCK TABLE job IN ACCESS EXCLUSIVE MODE", blocker, hold))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            var claim = Task.Run(async () =>
            {
                await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
                return await new JobRepository(db).ClaimNextAsync("worker-1", TimeSpan.FromSeconds(1), now);
            });
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.False(claim.IsCompleted);
            await hold.RollbackAsync();
            var job = await claim;

            Assert.Equal(queued.Id, job!.Id);
            await using var read = PostgresDatabaseFixture.CreateDbContext(connectionString);
            var left = await read.Database.SqlQuery<double>(
                $"SELECT extract(epoch FROM lease_expires_at - clock_timestamp())::double precision AS \"Value\" FROM job WHERE id = {queued.Id.Value}").SingleAsync();
            Assert.True(left > 0, $"the claim committed a lease that had run out {-left:0.000} s before");
        }
        finally
        {
            await fixture.Server.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task A_submitted_job_round_trips_with_every_field()
    {
        var media = await SaveMediaAsync();
        var options = new JobOptions("en-US", [AnalysisKind.Summary, AnalysisKind.Keywords], "pocketsphinx");
        var job = Job.Submit(media.Id, JobKind.Transcription, options, 7, TestData.Epoch, maxAttempts: 5).Value;
        await using (var db = fixture.CreateDbContext())
        {
            new JobRepository(db).Add(job);
            await db.SaveChangesAsync();
        }

        await using var read = fixture.CreateDbContext();
        var loaded = await new JobRepository(read).GetAsync(job.Id);

        Assert.NotNull(loaded);
        Assert.Equal(media.Id, loaded.MediaAssetId);
        Assert.Equal(JobKind.Transcription, loaded.Kind);
        Assert.Equal(JobStatus.Queued, loaded.Status);
        Assert.Equal(options, loaded.Options);
        Assert.Equal([AnalysisKind.Keywords, AnalysisKind.Summary], loaded.Options.Analyses);
        Assert.Equal(7, loaded.Priority);
        Assert.Equal(5, loaded.MaxAttempts);
        Assert.Equal(TestData.Epoch, loaded.CreatedAt);
        Assert.Equal(TestData.Epoch, loaded.RunAfter);
        Assert.NotEqual(0u, loaded.Version);
    }

    [Fact]
    public async Task A_job_read_for_a_query_is_a_snapshot_that_is_never_saved_back()
    {
        var job = await SaveJobAsync(await SaveMediaAsync());
        await using (var db = fixture.CreateDbContext())
        {
            var snapshot = (await new JobRepository(db).ReadAsync(job.Id))!;
            Assert.Equal(job.Id, snapshot.Id);
            snapshot.Cancel(TestData.Epoch.AddMinutes(1));
            Assert.Equal(0, await db.SaveChangesAsync());
        }

        await using var read = fixture.CreateDbContext();
        Assert.Equal(JobStatus.Queued, (await new JobRepository(read).GetAsync(job.Id))!.Status);
        Assert.Null(await new JobRepository(read).ReadAsync(JobId.New()));
    }

    [Fact]
    public async Task A_missing_job_is_null()
    {
        await using var db = fixture.CreateDbContext();

        Assert.Null(await new JobRepository(db).GetAsync(JobId.New()));
    }

    [Fact]
    public async Task Transitions_are_persisted()
    {
        var job = await SaveJobAsync(await SaveMediaAsync());
        await using (var db = fixture.CreateDbContext())
        {
            var loaded = (await new JobRepository(db).GetAsync(job.Id))!;
            Assert.True(loaded.Cancel(TestData.Epoch.AddMinutes(1)).IsSuccess);
            await db.SaveChangesAsync();
        }

        await using var read = fixture.CreateDbContext();
        var cancelled = (await new JobRepository(read).GetAsync(job.Id))!;
        Assert.Equal(JobStatus.Cancelled, cancelled.Status);
        Assert.Equal(TestData.Epoch.AddMinutes(1), cancelled.FinishedAt);
    }

    [Fact]
    public async Task Removing_a_job_deletes_it()
    {
        var job = await SaveJobAsync(await SaveMediaAsync());
        await using (var db = fixture.CreateDbContext())
        {
            var repository = new JobRepository(db);
            repository.Remove((await repository.GetAsync(job.Id))!);
            await db.SaveChangesAsync();
        }

        await using var read = fixture.CreateDbContext();
        Assert.Null(await new JobRepository(read).GetAsync(job.Id));
    }

    [Fact]
    public async Task A_concurrent_update_is_detected_as_a_conflict_and_the_first_write_survives()
    {
        var job = await SaveJobAsync(await SaveMediaAsync());
        await using var first = fixture.CreateDbContext();
        await using var second = fixture.CreateDbContext();
        var mine = (await new JobRepository(first).GetAsync(job.Id))!;
        var theirs = (await new JobRepository(second).GetAsync(job.Id))!;

        mine.Cancel(TestData.Epoch.AddSeconds(1));
        await first.SaveChangesAsync();
        theirs.Start("worker-2", TestData.Epoch.AddMinutes(1), TestData.Epoch.AddSeconds(2));

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => second.SaveChangesAsync());
        await using var read = fixture.CreateDbContext();
        Assert.Equal(JobStatus.Cancelled, (await new JobRepository(read).GetAsync(job.Id))!.Status);
    }

    [Fact]
    public async Task Listing_filters_by_status_kind_media_and_created_range()
    {
        var media = await SaveMediaAsync();
        var other = await SaveMediaAsync();
        var t0 = TestData.Epoch.AddDays(30);
        var a = await SaveJobAsync(media, t0, kind: JobKind.Transcription);
        var b = await SaveJobAsync(media, t0.AddMinutes(1), kind: JobKind.Analysis);
        var c = await SaveJobAsync(media, t0.AddMinutes(2), kind: JobKind.Transcription, cancel: true);
        var d = await SaveJobAsync(other, t0.AddMinutes(3), kind: JobKind.Transcription);

        await using var db = fixture.CreateDbContext();
        var repository = new JobRepository(db);
        async Task<JobId[]> IdsAsync(JobListFilter filter) =>
            [.. (await repository.ListAsync(filter, 100, null)).Items.Select(j => j.Id)];

        Assert.Equal([c.Id, b.Id, a.Id], await IdsAsync(new JobListFilter(MediaAssetId: media.Id)));
        Assert.Equal([c.Id], await IdsAsync(new JobListFilter(Status: JobStatus.Cancelled, MediaAssetId: media.Id)));
        Assert.Equal([b.Id], await IdsAsync(new JobListFilter(Kind: JobKind.Analysis, MediaAssetId: media.Id)));
        Assert.Equal([d.Id], await IdsAsync(new JobListFilter(MediaAssetId: other.Id)));
        Assert.Equal([c.Id, b.Id], await IdsAsync(new JobListFilter(MediaAssetId: media.Id, CreatedAfter: t0.AddMinutes(1), CreatedBefore: t0.AddMinutes(3))));
    }

    [Fact]
    public async Task Paging_returns_every_row_exactly_once_newest_first_while_rows_are_inserted()
    {
        var media = await SaveMediaAsync();
        var t0 = TestData.Epoch.AddDays(60);
        var existing = new List<Job>();
        for (var i = 0; i < 57; i++)
        {
            // Pairs share a timestamp, so the id must break ties.
            existing.Add(await SaveJobAsync(media, t0.AddSeconds(i / 2)));
        }

        var seen = new List<JobId>();
        KeysetCursor? cursor = null;
        var pages = 0;
        do
        {
            await using var db = fixture.CreateDbContext();
            var page = await new JobRepository(db).ListAsync(new JobListFilter(MediaAssetId: media.Id), 10, cursor);
            seen.AddRange(page.Items.Select(j => j.Id));
            cursor = page.Next;
            pages++;

            // A writer keeps inserting newer jobs while the reader walks the pages.
            await SaveJobAsync(media, t0.AddHours(1).AddSeconds(pages));
        }
        while (cursor is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        // Newest first; ties on created_at are broken by id as PostgreSQL orders uuids (byte-wise, like their hex text).
        var expectedOrder = existing
            .OrderByDescending(j => j.CreatedAt)
            .ThenByDescending(j => j.Id.Value.ToString(), StringComparer.Ordinal)
            .Select(j => j.Id)
            .ToList();
        var existingIds = expectedOrder.ToHashSet();
        Assert.Equal(expectedOrder, seen.Where(existingIds.Contains).ToList());
        Assert.Equal(6, pages);
    }

    [Fact]
    public async Task Claiming_takes_the_highest_priority_then_the_earliest_due_job_and_skips_future_ones()
    {
        // A database of its own, so jobs of other tests in this class cannot be claimed here.
        var connectionString = await fixture.Server.CreateMigratedDatabaseAsync();
        try
        {
            var media = TestData.UploadedMedia();
            var low = TestData.QueuedJob(media, TestData.Epoch, priority: 0);
            var highLater = TestData.QueuedJob(media, TestData.Epoch.AddSeconds(2), priority: 5);
            var highEarlier = TestData.QueuedJob(media, TestData.Epoch.AddSeconds(1), priority: 5);
            var future = TestData.QueuedJob(media, TestData.Epoch.AddHours(2), priority: 100);
            await using (var db = PostgresDatabaseFixture.CreateDbContext(connectionString))
            {
                db.MediaAssets.Add(media);
                db.Jobs.AddRange(low, highLater, highEarlier, future);
                await db.SaveChangesAsync();
            }

            var now = TestData.Epoch.AddMinutes(1);
            var claimed = new List<Job?>();
            for (var i = 0; i < 4; i++)
            {
                await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
                claimed.Add(await new JobRepository(db).ClaimNextAsync("worker-1", _lease, now));
            }

            Assert.Equal([highEarlier.Id, highLater.Id, low.Id], claimed.Take(3).Select(j => j!.Id));
            Assert.Null(claimed[3]);
            Assert.All(claimed.Take(3), j =>
            {
                Assert.Equal(JobStatus.Running, j!.Status);
                Assert.Equal("worker-1", j.LeaseOwner);
                Assert.Equal(now + _lease, j.LeaseExpiresAt);
                Assert.Equal(1, j.Attempts);
            });
        }
        finally
        {
            await fixture.Server.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task Two_concurrent_claimers_never_get_the_same_job_in_100_rounds()
    {
        var connectionString = await fixture.Server.CreateMigratedDatabaseAsync();
        try
        {
            var media = TestData.UploadedMedia();
            await using (var db = PostgresDatabaseFixture.CreateDbContext(connectionString))
            {
                db.MediaAssets.Add(media);
                await db.SaveChangesAsync();
            }

            var now = TestData.Epoch.AddMinutes(1);
            for (var round = 0; round < 100; round++)
            {
                // One job per round (and sometimes two), claimed by two workers starting together.
                var jobs = Enumerable.Range(0, 1 + (round % 2)).Select(_ => TestData.QueuedJob(media, TestData.Epoch)).ToList();
                await using (var db = PostgresDatabaseFixture.CreateDbContext(connectionString))
                {
                    db.Jobs.AddRange(jobs);
                    await db.SaveChangesAsync();
                }

                using var start = new Barrier(2);
                var claims = await Task.WhenAll(Enumerable.Range(1, 2).Select(w => Task.Run(async () =>
                {
                    await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
                    await db.Database.OpenConnectionAsync();
                    start.SignalAndWait();
                    return await new JobRepository(db).ClaimNextAsync($"worker-{w}", _lease, now);
                })));

                var claimedIds = claims.Where(j => j is not null).Select(j => j!.Id).ToList();
                Assert.Equal(claimedIds.Count, claimedIds.Distinct().Count());
                Assert.Equal(jobs.Count, claimedIds.Count);
            }
        }
        finally
        {
            await fixture.Server.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task A_media_with_a_queued_job_is_in_use()
    {
        var busy = await SaveMediaAsync();
        var idle = await SaveMediaAsync();
        await SaveJobAsync(busy);
        await SaveJobAsync(idle, cancel: true);

        await using var db = fixture.CreateDbContext();
        var repository = new JobRepository(db);

        Assert.True(await repository.AnyActiveForMediaAsync(busy.Id));
        Assert.False(await repository.AnyActiveForMediaAsync(idle.Id));
    }

    private async Task<MediaAsset> SaveMediaAsync()
    {
        var media = TestData.UploadedMedia();
        await using var db = fixture.CreateDbContext();
        new MediaAssetRepository(db).Add(media);
        await db.SaveChangesAsync();
        return media;
    }

    private async Task<Job> SaveJobAsync(MediaAsset media, DateTimeOffset? at = null, JobKind kind = JobKind.Transcription, bool cancel = false)
    {
        var job = TestData.QueuedJob(media, at ?? TestData.Epoch, kind: kind);
        if (cancel)
        {
            job.Cancel(at ?? TestData.Epoch);
        }

        await using MediaPlatformDbContext db = fixture.CreateDbContext();
        new JobRepository(db).Add(job);
        await db.SaveChangesAsync();
        return job;
    }
}
