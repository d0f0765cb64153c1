using System.Text.Json;
using MediaPlatform.Api.Tests.Access;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.TestSupport.Media;

namespace MediaPlatform.Api.Tests.Jobs;

/// <summary><c>GET /api/v1/queue</c> and a queued job's place (no workers run: the jobs stay queued).</summary>
public sealed class QueueEndpointTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly JobClient _admin = new(factory.CreateClient());

    [Fact]
    public async Task Queued_jobs_show_in_the_depth_by_priority_and_each_knows_its_place()
    {
        var before = await _admin.GetAsync("/api/v1/queue");
        var mediaId = await _admin.UploadAsync(SpeechSamples.Librivox()[0].Path, "audio/wav");

        var first = await _admin.SubmitAsync(mediaId);
        var second = await _admin.SubmitAsync(mediaId);
        var urgent = await _admin.SubmitAsync(mediaId, new { priority = 50 });

        var queue = await _admin.GetAsync("/api/v1/queue");
        Assert.Equal("all", queue.GetProperty("scope").GetString());
        Assert.Equal(Queued(before) + 3, Queued(queue));
        Assert.Equal(0, queue.GetProperty("depth").GetProperty("running").GetInt64());
        Assert.Empty(queue.GetProperty("workers").EnumerateArray());
        Assert.Empty(queue.GetProperty("processes").EnumerateArray()); // this service runs no workers, and no other process does
        var top = queue.GetProperty("byPriority")[0];
        Assert.Equal((50, 1L), (top.GetProperty("priority").GetInt32(), top.GetProperty("queued").GetInt64()));
        Assert.True(queue.GetProperty("oldestQueuedAgeSeconds").GetDouble() >= 0);
        Assert.Equal(60, queue.GetProperty("throughput").GetProperty("windowSeconds").GetInt32());

        var places = new List<long>();
        foreach (var id in new[] { urgent, first, second })
        {
            places.Add(Position(await _admin.GetAsync($"/api/v1/jobs/{id}")));
        }

        Assert.Equal(1, places[0]); // the higher priority goes first
        Assert.True(places[1] < places[2], $"{places[1]} then {places[2]}: submitted earlier, served earlier");
    }

    [Fact]
    public async Task A_tenant_key_sees_only_its_own_tenants_queue()
    {
        var (_, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"queue-{Guid.NewGuid():N}");
        var tenant = new JobClient(client);
        await _admin.SubmitAsync(await _admin.UploadAsync(SpeechSamples.Librivox()[1].Path, "audio/wav"));

        var empty = await tenant.GetAsync("/api/v1/queue");
        await tenant.SubmitAsync(await tenant.UploadAsync(SpeechSamples.Librivox()[1].Path, "audio/wav"));
        var one = await tenant.GetAsync("/api/v1/queue");

        Assert.Equal(("tenant", 0L), (empty.GetProperty("scope").GetString(), Queued(empty)));
        Assert.Equal(1, Queued(one));
    }

    [Fact]
    public async Task A_job_that_is_not_queued_has_no_place()
    {
        var jobId = await _admin.SubmitAsync(await _admin.UploadAsync(SpeechSamples.Librivox()[2].Path, "audio/wav"));
        await factory.CreateClient().PostAsync(new Uri($"/api/v1/jobs/{jobId}/cancel", UriKind.Relative), null);

        var job = await _admin.GetAsync($"/api/v1/jobs/{jobId}");

        Assert.Equal("cancelled", job.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("queuePosition").ValueKind);
    }

    private static long Queued(JsonElement queue) => queue.GetProperty("depth").GetProperty("queued").GetInt64();

    private static long Position(JsonElement job) => job.GetProperty("queuePosition").GetInt64();
}
