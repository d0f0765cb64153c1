using System.Net.Http.Json;
using System.Text.Json;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.TestSupport.Builders;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Api.Tests.Jobs;

/// <summary>
/// <c>GET /api/v1/jobs/{id}</c> serves recent reads of queued and finished jobs again (docs/adr/0026). Here a read is
/// kept for ten minutes, so only the invalidation can show a change: the trigger's announcement for a change made
/// elsewhere, the saving unit of work for one made through this process.
/// </summary>
public sealed class JobSnapshotReadTests(JobSnapshotReadTests.LongSnapshotFactory factory) : IClassFixture<JobSnapshotReadTests.LongSnapshotFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_job_changed_by_another_process_reads_as_it_is_now()
    {
        var job = await SaveQueuedJobAsync();
        Assert.Equal("queued", await StatusAsync(job.Id));
        Assert.Equal("queued", await StatusAsync(job.Id)); // served again

        // Another process (its own connection, none of this host's code) cancels it; the trigger announces it.
        await using (var db = factory.CreateDbContext())
        {
            var stored = await db.Jobs.SingleAsync(j => j.Id == job.Id);
            Assert.True(stored.Cancel(DateTimeOffset.UtcNow).IsSuccess);
            await db.SaveChangesAsync();
        }

        var deadline = DateTime.UtcNow.AddSeconds(15);
        var status = await StatusAsync(job.Id);
        while (status != "cancelled" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            status = await StatusAsync(job.Id);
        }

        Assert.Equal("cancelled", status);
    }

    [Fact]
    public async Task A_job_cancelled_through_the_api_reads_cancelled_right_after()
    {
        var job = await SaveQueuedJobAsync();
        Assert.Equal("queued", await StatusAsync(job.Id));

        (await _client.PostAsync(new Uri($"/api/v1/jobs/{job.Id.Value}/cancel", UriKind.Relative), null)).EnsureSuccessStatusCode();

        Assert.Equal("cancelled", await StatusAsync(job.Id));
    }

    [Fact]
    public async Task A_served_job_is_still_hidden_from_other_tenants()
    {
        var job = await SaveQueuedJobAsync();
        Assert.Equal("queued", await StatusAsync(job.Id));
        var (_, other) = await Access.TenantApi.CreateTenantWithClientAsync(factory, $"snapshot-other-{Guid.NewGuid():N}");

        var response = await other.GetAsync(new Uri($"/api/v1/jobs/{job.Id.Value}", UriKind.Relative));

        await response.AssertProblemAsync(System.Net.HttpStatusCode.NotFound);
    }

    private async Task<string?> StatusAsync(JobId id)
    {
        var job = await _client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/jobs/{id.Value}", UriKind.Relative));
        return job.GetProperty("status").GetString();
    }

    private async Task<Job> SaveQueuedJobAsync()
    {
        var media = TestData.UploadedMedia();
        var job = TestData.QueuedJob(media, DateTimeOffset.UtcNow);
        await using var db = factory.CreateDbContext();
        db.MediaAssets.Add(media);
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        return job;
    }

    public sealed class LongSnapshotFactory : ApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => new Dictionary<string, string?>
        {
            ["Queue:JobSnapshotSeconds"] = "600",
        };
    }
}
