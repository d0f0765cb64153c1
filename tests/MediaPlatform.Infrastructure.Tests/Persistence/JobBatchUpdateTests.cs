using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Infrastructure.Persistence;
using MediaPlatform.TestSupport.Builders;
using MediaPlatform.TestSupport.Postgres;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Tests.Persistence;

/// <summary>
/// Several jobs saved together go out as one statement per set of changed columns (docs/adr/0030), and must leave
/// exactly the rows, versions and conflicts that EF Core's statement per job leaves.
/// </summary>
public sealed class JobBatchUpdateTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly DateTimeOffset _now = TestData.Epoch.AddHours(1);

    [Fact]
    public Task Jobs_saved_together_end_in_the_same_rows_as_jobs_saved_one_at_a_time() =>
        // Two sets of the same four jobs: one is saved a job at a time (EF Core's statements), the other at once.
        WithJobsAsync([.. Enumerable.Range(0, 8).Select(i => TestData.Epoch.AddSeconds(i % 4))], async (connectionString, db, jobs) =>
        {
            var alone = jobs[..4];
            var together = jobs[4..];
            // Claimed (three) and cancelled (one); then completed, failed for a retry, and given a longer lease:
            // transitions that change different columns, so the batch has several statements.
            Func<Job, Result>[] first =
            [
                j => j.Start("w0", _now.AddMinutes(1), _now),
                j => j.Start("w1", _now.AddMinutes(1), _now),
                j => j.Start("w2", _now.AddMinutes(1), _now),
                j => j.Cancel(_now),
            ];
            Func<Job, Result>[] second =
            [
                j => j.RenewLease("w0", _now.AddMinutes(2), _now.AddSeconds(30)),
                j => j.Complete("w1", _now.AddSeconds(30)),
                j => j.FailAttempt("w2", "media.unreadable", "Try again.", transient: true, _now.AddMinutes(5), _now.AddSeconds(30)),
                _ => Result.Success(),
            ];
            foreach (var step in new[] { first, second })
            {
                for (var i = 0; i < alone.Count; i++)
                {
                    Assert.True(step[i](alone[i]).IsSuccess);
                    await db.SaveChangesAsync();
                }

                for (var i = 0; i < together.Count; i++)
                {
                    Assert.True(step[i](together[i]).IsSuccess);
                }

                db.ChangeTracker.DetectChanges();
                Assert.NotNull(JobBatchUpdate.Plan(db));
                await db.SaveChangesAsync();
                Assert.All(together, j => Assert.Equal(EntityState.Unchanged, db.Entry(j).State));
            }

            var rows = await RowsAsync(connectionString);
            for (var i = 0; i < alone.Count; i++)
            {
                var expected = rows[alone[i].Id.Value];
                var actual = rows[together[i].Id.Value];
                Assert.Equal(expected with { Id = actual.Id, Xmin = actual.Xmin }, actual);
                // The version written back is the row's: the next save of the aggregate is not a conflict.
                Assert.Equal(actual.Xmin, (long)together[i].Version);
            }

            Assert.Equal(["running", "succeeded", "queued", "cancelled"], together.Select(j => rows[j.Id.Value].Status));
            Assert.True(together[0].Complete("w0", _now.AddMinutes(1)).IsSuccess);
            Assert.True(together[2].Cancel(_now.AddMinutes(1)).IsSuccess);
            await db.SaveChangesAsync();
        });

    [Fact]
    public Task A_job_changed_since_it_was_read_makes_the_whole_batch_a_conflict_that_saves_none_of_it() =>
        WithJobsAsync([.. Enumerable.Range(0, 3).Select(i => TestData.Epoch.AddSeconds(i))], async (connectionString, db, jobs) =>
        {
            // Someone cancels the middle job after this unit of work read it.
            await using (var other = PostgresDatabaseFixture.CreateDbContext(connectionString))
            {
                var job = await other.Jobs.SingleAsync(j => j.Id == jobs[1].Id);
                Assert.True(job.Cancel(_now).IsSuccess);
                await other.SaveChangesAsync();
            }

            for (var i = 0; i < jobs.Count; i++)
            {
                Assert.True(jobs[i].Start($"w{i}", _now.AddMinutes(1), _now).IsSuccess);
            }

            await Assert.ThrowsAsync<ConcurrencyConflictException>(() => db.SaveChangesAsync());

            var rows = await RowsAsync(connectionString);
            Assert.Equal(["queued", "cancelled", "queued"], jobs.Select(j => rows[j.Id.Value].Status));
            Assert.All([jobs[0], jobs[2]], j => Assert.Equal(0, rows[j.Id.Value].Attempts));
            // The unit of work still holds the unsaved changes, as after a conflict of EF Core's own save: saving
            // the two jobs nobody else touched (the cancelled one taken out) writes them.
            Assert.All(jobs, j => Assert.Equal(EntityState.Modified, db.Entry(j).State));
            Assert.All(jobs, j => Assert.Equal(JobStatus.Queued, db.Entry(j).Property(p => p.Status).OriginalValue));
            db.Entry(jobs[1]).State = EntityState.Detached;
            await db.SaveChangesAsync();
            rows = await RowsAsync(connectionString);
            Assert.Equal(["running", "running"], new[] { jobs[0], jobs[2] }.Select(j => rows[j.Id.Value].Status));
            Assert.Equal(["w0", "w2"], new[] { jobs[0], jobs[2] }.Select(j => rows[j.Id.Value].LeaseOwner));
        });

    [Fact]
    public Task A_save_that_fails_after_its_jobs_were_written_saves_none_of_them_and_can_be_made_again() =>
        WithJobsAsync([.. Enumerable.Range(0, 3).Select(i => TestData.Epoch.AddSeconds(i))], async (connectionString, db, jobs) =>
        {
            db.Tenants.Add(Domain.Tenants.Tenant.Create("taken", null, TestData.Epoch).Value);
            await db.SaveChangesAsync();

            // The jobs' statement succeeds; the tenant's insert after it breaks a unique index, so the save fails.
            for (var i = 0; i < jobs.Count; i++)
            {
                Assert.True(jobs[i].Start($"w{i}", _now.AddMinutes(1), _now).IsSuccess);
            }

            var duplicate = db.Tenants.Add(Domain.Tenants.Tenant.Create("taken", null, TestData.Epoch).Value);
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

            var rows = await RowsAsync(connectionString);
            Assert.All(jobs, j => Assert.Equal("queued", rows[j.Id.Value].Status));
            Assert.All(jobs, j => Assert.Equal(EntityState.Modified, db.Entry(j).State));
            Assert.All(jobs, j => Assert.Equal(JobStatus.Running, j.Status));

            duplicate.State = EntityState.Detached;
            await db.SaveChangesAsync();
            rows = await RowsAsync(connectionString);
            Assert.All(jobs, j => Assert.Equal("running", rows[j.Id.Value].Status));
            Assert.All(jobs, j => Assert.Equal(rows[j.Id.Value].Xmin, (long)j.Version));
        });

    [Fact]
    public Task A_value_too_long_for_its_column_is_refused_together_as_it_is_alone() =>
        WithJobsAsync([TestData.Epoch, TestData.Epoch.AddSeconds(1)], async (connectionString, db, jobs) =>
        {
            for (var i = 0; i < jobs.Count; i++)
            {
                Assert.True(jobs[i].Start($"w{i}", _now.AddMinutes(1), _now).IsSuccess);
            }

            await db.SaveChangesAsync();
            // current_step holds 64 characters; the aggregate does not check the step's length.
            var step = new string('s', 65);
            for (var i = 0; i < jobs.Count; i++)
            {
                Assert.True(jobs[i].ReportProgress($"w{i}", 50, step, _now.AddSeconds(1)).IsSuccess);
            }

            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            db.Entry(jobs[1]).State = EntityState.Detached;
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

            var rows = await RowsAsync(connectionString);
            Assert.All(jobs, j => Assert.Null(rows[j.Id.Value].CurrentStep));
            Assert.All(jobs, j => Assert.Equal(0, rows[j.Id.Value].Progress));
        });

    /// <summary>A database with one medium and a queued job for each of <paramref name="submittedAt"/>, and a unit of work that tracks them.</summary>
    private async Task WithJobsAsync(IReadOnlyList<DateTimeOffset> submittedAt, Func<string, MediaPlatformDbContext, List<Job>, Task> test)
    {
        var connectionString = await fixture.Server.CreateMigratedDatabaseAsync();
        try
        {
            await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
            var media = TestData.UploadedMedia();
            db.MediaAssets.Add(media);
            var jobs = submittedAt.Select(at => TestData.QueuedJob(media, at)).ToList();
            db.Jobs.AddRange(jobs);
            await db.SaveChangesAsync();
            await test(connectionString, db, jobs);
        }
        finally
        {
            await fixture.Server.DropDatabaseAsync(connectionString);
        }
    }

    private static async Task<Dictionary<Guid, JobRow>> RowsAsync(string connectionString)
    {
        await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
        var rows = await db.Database.SqlQueryRaw<JobRow>(
            """
            SELECT id, xmin::text::bigint AS xmin, status, attempts, progress, current_step, lease_owner, lease_expires_at,
                   started_at, finished_at, error_code, error_message, run_after, updated_at
            FROM job
            """).ToListAsync();
        return rows.ToDictionary(r => r.Id);
    }

    private sealed record JobRow(
        Guid Id, long Xmin, string Status, int Attempts, int Progress, string? CurrentStep, string? LeaseOwner,
        DateTimeOffset? LeaseExpiresAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? ErrorCode,
        string? ErrorMessage, DateTimeOffset RunAfter, DateTimeOffset UpdatedAt);
}
