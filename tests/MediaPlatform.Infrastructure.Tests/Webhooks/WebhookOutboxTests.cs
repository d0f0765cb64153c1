using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Domain.Webhooks;
using MediaPlatform.Infrastructure.Persistence;
using MediaPlatform.Infrastructure.Persistence.Repositories;
using MediaPlatform.Infrastructure.Webhooks;
using MediaPlatform.TestSupport.Builders;
using MediaPlatform.TestSupport.Postgres;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Tests.Webhooks;

/// <summary>
/// The outbox writes a row for a transition only when someone will be told of it: an enabled subscription of the
/// tenant to that type (or to everything), read in the saving transaction, or the job's own webhook for its end.
/// </summary>
public sealed class WebhookOutboxTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly DateTimeOffset Now = TestData.Epoch.AddMinutes(5);

    [Fact]
    public async Task Transitions_are_written_for_the_types_a_tenant_subscribes_to_and_for_nobody_else()
    {
        var connectionString = await fixture.Server.CreateMigratedDatabaseAsync();
        try
        {
            var silent = await SaveTenantWithJobAsync(connectionString, "silent", subscribedTo: null);
            var endsOnly = await SaveTenantWithJobAsync(connectionString, "ends-only", subscribedTo: [WebhookEventTypes.JobSucceeded]);
            var everything = await SaveTenantWithJobAsync(connectionString, "everything", subscribedTo: ["*"]);

            var claimed = await ClaimAllAsync(connectionString, 3);
            await CompleteAsync(connectionString, claimed);

            await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
            var rows = await db.WebhookEvents.IgnoreQueryFilters().Select(e => new { e.TenantId, e.Type }).ToListAsync();
            Assert.DoesNotContain(rows, r => r.TenantId == silent);
            Assert.Equal(["job.succeeded"], rows.Where(r => r.TenantId == endsOnly).Select(r => r.Type));
            Assert.Equal(["job.started", "job.succeeded"], rows.Where(r => r.TenantId == everything).Select(r => r.Type).Order());
            // Every job went through both transitions either way.
            Assert.Equal(3, await db.Jobs.IgnoreQueryFilters().CountAsync(j => j.Status == JobStatus.Succeeded));
        }
        finally
        {
            await fixture.Server.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task A_job_with_its_own_webhook_gets_its_end_event_without_any_subscription()
    {
        var connectionString = await fixture.Server.CreateMigratedDatabaseAsync();
        try
        {
            var tenant = await SaveTenantWithJobAsync(
                connectionString, "own-hook", subscribedTo: null, webhook: new JobWebhook("https://hooks.example.com/job", new Dictionary<string, string>()));

            await CompleteAsync(connectionString, await ClaimAllAsync(connectionString, 1));

            await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
            var rows = await db.WebhookEvents.IgnoreQueryFilters().Where(e => e.TenantId == tenant).Select(e => e.Type).ToListAsync();
            // A job's own webhook is told of its end only (job.started is for subscriptions).
            Assert.Equal(["job.succeeded"], rows);
        }
        finally
        {
            await fixture.Server.DropDatabaseAsync(connectionString);
        }
    }

    private static async Task<TenantId> SaveTenantWithJobAsync(string connectionString, string name, string[]? subscribedTo, JobWebhook? webhook = null)
    {
        var tenant = Tenant.Create(name, null, TestData.Epoch).Value;
        await using var db = PostgresDatabaseFixture.CreateDbContext(connectionString);
        db.Tenants.Add(tenant);
        if (subscribedTo is not null)
        {
            var subscription = WebhookSubscription.Create(
                "https://hooks.example.com/" + name, subscribedTo, null, "whsec_" + Convert.ToBase64String(new byte[32]), TestData.Epoch).Value;
            db.WebhookSubscriptions.Add(subscription).Property(w => w.TenantId).CurrentValue = tenant.Id;
        }

        var media = TestData.UploadedMedia();
        db.MediaAssets.Add(media).Property(m => m.TenantId).CurrentValue = tenant.Id;
        var options = new JobOptions(null, [], null, webhook);
        var job = Job.Submit(media.Id, JobKind.Transcription, options, Job.DefaultPriority, TestData.Epoch).Value;
        db.Jobs.Add(job).Property(j => j.TenantId).CurrentValue = tenant.Id;
        await db.SaveChangesAsync();
        return tenant.Id;
    }

    private static async Task<IReadOnlyList<Job>> ClaimAllAsync(string connectionString, int count)
    {
        await using var db = OutboxDbContext.Create(connectionString);
        var claimed = await new JobRepository(db).ClaimBatchAsync([.. Enumerable.Range(0, count).Select(i => $"w{i}")], TimeSpan.FromMinutes(5), Now);
        Assert.Equal(count, claimed.Count);
        return claimed;
    }

    private static async Task CompleteAsync(string connectionString, IReadOnlyList<Job> claimed)
    {
        await using var db = OutboxDbContext.Create(connectionString);
        foreach (var job in claimed)
        {
            db.Attach(job);
            Assert.True(job.Complete(job.LeaseOwner!, Now.AddSeconds(1)).IsSuccess);
        }

        await db.SaveChangesAsync();
    }
}
