using MediaPlatform.Application;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Infrastructure.Persistence;
using MediaPlatform.Infrastructure.Persistence.Repositories;
using MediaPlatform.Infrastructure.Queue;
using MediaPlatform.TestSupport.Builders;
using MediaPlatform.TestSupport.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaPlatform.Infrastructure.Tests.Queue;

/// <summary>
/// The group commit of finishing writes (docs/adr/0016): writes handed over together are saved in one transaction,
/// each through the aggregate, and a write that cannot be made (its job changed meanwhile) costs the others nothing.
/// </summary>
public sealed class JobFinishBatcherTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly TimeSpan _lease = TimeSpan.FromMinutes(1);
    private static readonly DateTimeOffset _now = TestData.Epoch.AddHours(1);

    [Fact]
    public async Task Completions_handed_over_while_the_batcher_was_busy_are_saved_in_one_transaction()
    {
        await WithClaimedJobsAsync(5, async (services, claimed) =>
        {
            var batcher = new JobFinishBatcher(services.GetRequiredService<IServiceScopeFactory>(), NullLogger.Instance);
            var writers = claimed.Select(job => new JobLeaseWriter(services.GetRequiredService<IServiceScopeFactory>(), job)).ToList();
            // Handed over before the batcher runs: all five wait for the same flush.
            var saved = writers.Select((writer, i) => Complete(batcher, writer, claimed[i])).ToList();
            var running = Task.Run(batcher.RunAsync);

            Assert.All(await Task.WhenAll(saved), Assert.True);
            batcher.Complete();
            await running;

            var rows = await ReadAsync(services);
            Assert.All(rows, r => Assert.Equal(JobStatus.Succeeded, r.Status));
            Assert.Single(rows.Select(r => r.Xmin).Distinct());
            Assert.Equal(5, await CountEventsAsync(services, "job.succeeded"));
        });
    }

    [Fact]
    public async Task A_job_cancelled_under_its_worker_stays_cancelled_and_the_others_of_its_batch_still_succeed()
    {
        await WithClaimedJobsAsync(5, async (services, claimed) =>
        {
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<MediaPlatformDbContext>();
                var job = await db.Jobs.IgnoreQueryFilters().SingleAsync(j => j.Id == claimed[2].Id);
                Assert.True(job.Cancel(_now).IsSuccess);
                await db.SaveChangesAsync();
            }

            var batcher = new JobFinishBatcher(services.GetRequiredService<IServiceScopeFactory>(), NullLogger.Instance);
            var writers = claimed.Select(job => new JobLeaseWriter(services.GetRequiredService<IServiceScopeFactory>(), job)).ToList();
            var saved = writers.Select((writer, i) => Complete(batcher, writer, claimed[i])).ToList();
            var running = Task.Run(batcher.RunAsync);

            // The shared save met the cancelled row's newer version: every write was made again on its own.
            var outcomes = await Task.WhenAll(saved);
            Assert.Equal(new[] { true, true, false, true, true }, outcomes);
            batcher.Complete();
            await running;

            var rows = (await ReadAsync(services)).ToDictionary(r => r.Id);
            Assert.Equal(JobStatus.Cancelled, rows[claimed[2].Id.Value].Status);
            Assert.Equal(4, rows.Values.Count(r => r.Status == JobStatus.Succeeded));
            Assert.Equal(4, await CountEventsAsync(services, "job.succeeded"));
        });
    }

    [Fact]
    public async Task A_write_that_never_ends_holds_up_only_its_own_job()
    {
        await WithClaimedJobsAsync(3, async (services, claimed) =>
        {
            // The first job changed under its worker, so the shared save fails and each write is made on its own; the
            // first one's own write never ends (a database that refuses it for ever).
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<MediaPlatformDbContext>();
                var job = await db.Jobs.IgnoreQueryFilters().SingleAsync(j => j.Id == claimed[0].Id);
                Assert.True(job.Cancel(_now).IsSuccess);
                await db.SaveChangesAsync();
            }

            var batcher = new JobFinishBatcher(services.GetRequiredService<IServiceScopeFactory>(), NullLogger.Instance);
            var writers = claimed.Select(job => new JobLeaseWriter(services.GetRequiredService<IServiceScopeFactory>(), job)).ToList();
            var never = new TaskCompletionSource<bool>();
            var owner = claimed[0].LeaseOwner!;
            var stuck = batcher.FinishAsync(writers[0], j => j.Complete(owner, _now), null, () => never.Task);
            var second = Complete(batcher, writers[1], claimed[1]);
            var running = Task.Run(batcher.RunAsync);

            Assert.True(await second.WaitAsync(TimeSpan.FromSeconds(20)));
            // Handed over after the stuck one: saved all the same.
            Assert.True(await Complete(batcher, writers[2], claimed[2]).WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.False(stuck.IsCompleted);
            // Only the stuck write is still waiting (the count follows each write's end asynchronously).
            for (var i = 0; i < 100 && batcher.Waiting != 1; i++)
            {
                await Task.Delay(50);
            }

            Assert.Equal(1, batcher.Waiting);

            never.SetResult(false);
            batcher.Complete();
            await running.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.False(await stuck);
        });
    }

    private static Task<bool> Complete(JobFinishBatcher batcher, JobLeaseWriter writer, Job job)
    {
        // The owner as the worker knows it (a string), not read from the copy the batcher changes.
        var owner = job.LeaseOwner!;
        Func<Job, Domain.Common.Result> change = j => j.Complete(owner, _now);
        return batcher.FinishAsync(writer, change, null, () => writer.UpdateAsync(change));
    }

    private static async Task<List<(Guid Id, JobStatus Status, string Xmin)>> ReadAsync(ServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MediaPlatformDbContext>();
        var jobs = await db.Jobs.IgnoreQueryFilters().AsNoTracking().Select(j => new { j.Id, j.Status }).ToListAsync();
        var xmins = await db.Database.SqlQueryRaw<XminRow>("SELECT id AS \"Id\", xmin::text AS \"Xmin\" FROM job").ToListAsync();
        return [.. jobs.Select(j => (j.Id.Value, j.Status, xmins.Single(x => x.Id == j.Id.Value).Xmin))];
    }

    private static async Task<int> CountEventsAsync(ServiceProvider services, string type)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MediaPlatformDbContext>();
        return await db.WebhookEvents.IgnoreQueryFilters().CountAsync(e => e.Type == type);
    }

    /// <summary>A database of its own with <paramref name="count"/> jobs of one tenant, claimed by one batch claim, and the service's container on it.</summary>
    private async Task WithClaimedJobsAsync(int count, Func<ServiceProvider, IReadOnlyList<Job>, Task> test)
    {
        var connectionString = await fixture.Server.CreateMigratedDatabaseAsync();
        try
        {
            var tenant = Tenant.Create("batcher", null, TestData.Epoch).Value;
            await using (var db = PostgresDatabaseFixture.CreateDbContext(connectionString))
            {
                db.Tenants.Add(tenant);
                // Someone listens, so every finish writes its outbox row.
                db.WebhookSubscriptions.Add(TestData.EverythingSubscription()).Property(w => w.TenantId).CurrentValue = tenant.Id;
                var media = TestData.UploadedMedia();
                db.MediaAssets.Add(media).Property(m => m.TenantId).CurrentValue = tenant.Id;
                foreach (var i in Enumerable.Range(0, count))
                {
                    db.Jobs.Add(TestData.QueuedJob(media, TestData.Epoch.AddMilliseconds(i))).Property(j => j.TenantId).CurrentValue = tenant.Id;
                }

                await db.SaveChangesAsync();
            }

            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:ConnectionString"] = connectionString })
                .Build();
            await using var services = new ServiceCollection().AddLogging().AddApplication().AddInfrastructure(configuration).BuildServiceProvider();
            IReadOnlyList<Job> claimed;
            await using (var db = PostgresDatabaseFixture.CreateDbContext(connectionString))
            {
                claimed = await new JobRepository(db).ClaimBatchAsync([.. Enumerable.Range(0, count).Select(i => $"w{i}")], _lease, _now);
            }

            Assert.Equal(count, claimed.Count);
            await test(services, claimed);
        }
        finally
        {
            await fixture.Server.DropDatabaseAsync(connectionString);
        }
    }

    private sealed record XminRow(Guid Id, string Xmin);
}
