using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaPlatform.Api.Tests.Access;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Domain.Media;
using MediaPlatform.TestSupport.Builders;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Api.Tests.Jobs;

/// <summary><c>POST /api/v1/jobs/batch</c>: up to 1,000 jobs in one request, all of them or none.</summary>
public sealed class BatchSubmitTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_batch_queues_every_job_in_one_request_in_the_order_given()
    {
        var media = await SaveMediaAsync();

        var response = await _client.PostAsJsonAsync("/api/v1/jobs/batch", new
        {
            jobs = new object[]
            {
                new { mediaId = media.Id.Value },
                new { mediaId = media.Id.Value, priority = 20, analyses = new[] { "keywords" } },
                new { mediaId = media.Id.Value, kind = "analysis", analyses = new[] { "summary" } },
            },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var items = (await response.ReadSuccessAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([0, 20, 0], items.Select(j => j.GetProperty("priority").GetInt32()));
        Assert.Equal(["transcription", "transcription", "analysis"], items.Select(j => j.GetProperty("kind").GetString()));
        Assert.All(items, j => Assert.Equal("queued", j.GetProperty("status").GetString()));
        foreach (var id in items.Select(j => j.GetProperty("id").GetGuid()))
        {
            Assert.Equal(id, (await _client.JsonAsync($"/api/v1/jobs/{id}")).GetProperty("id").GetGuid());
        }
    }

    [Fact]
    public async Task A_batch_with_one_job_on_missing_media_queues_none_and_names_that_job()
    {
        var media = await SaveMediaAsync();
        var before = await CountJobsAsync();

        var response = await _client.PostAsJsonAsync("/api/v1/jobs/batch", new
        {
            jobs = new[] { new { mediaId = media.Id.Value }, new { mediaId = Guid.CreateVersion7() } },
        });

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.StartsWith("jobs[1]: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await CountJobsAsync());
    }

    [Fact]
    public async Task A_batch_with_one_job_in_a_language_the_engine_lacks_queues_none_and_names_that_job()
    {
        var media = await SaveMediaAsync();
        var before = await CountJobsAsync();

        var response = await _client.PostAsJsonAsync("/api/v1/jobs/batch", new
        {
            jobs = new[] { new { mediaId = media.Id.Value, language = "en-GB" }, new { mediaId = media.Id.Value, language = "de" } },
        });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("engine.language_unsupported", problem.GetProperty("code").GetString());
        Assert.StartsWith("jobs[1]: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["jobs[1].language"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(before, await CountJobsAsync());
    }

    [Fact]
    public async Task A_batch_with_an_invalid_field_is_a_400_that_names_the_job_and_the_field()
    {
        var media = await SaveMediaAsync();

        var response = await _client.PostAsJsonAsync("/api/v1/jobs/batch", new
        {
            jobs = new[] { new { mediaId = media.Id.Value, priority = 0 }, new { mediaId = media.Id.Value, priority = 500 } },
        });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var names = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains(names, n => n.Contains("[1]", StringComparison.Ordinal) && n.EndsWith("priority", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task A_batch_of_no_jobs_or_more_than_a_thousand_is_refused(int count)
    {
        var media = await SaveMediaAsync();

        var response = await _client.PostAsJsonAsync("/api/v1/jobs/batch", new
        {
            jobs = Enumerable.Repeat(new { mediaId = media.Id.Value }, count).ToArray(),
        });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_thousand_jobs_go_in_one_request()
    {
        var media = await SaveMediaAsync();
        var before = await CountJobsAsync();

        var response = await _client.PostAsJsonAsync("/api/v1/jobs/batch", new
        {
            jobs = Enumerable.Repeat(new { mediaId = media.Id.Value }, 1000).ToArray(),
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1000, (await response.ReadSuccessAsync()).GetProperty("items").GetArrayLength());
        Assert.Equal(before + 1000, await CountJobsAsync());
    }

    [Fact]
    public async Task A_batch_that_would_pass_the_tenants_queue_limit_queues_none()
    {
        var (_, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"batch-{Guid.NewGuid():N}", new { maxQueuedJobs = 2 });
        var upload = await client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(TestMedia.ToneWav(), "a.wav", "audio/wav"));
        var mediaId = (await upload.ReadSuccessAsync()).GetProperty("id").GetGuid();

        var response = await client.PostAsJsonAsync("/api/v1/jobs/batch", new { jobs = Enumerable.Repeat(new { mediaId }, 3).ToArray() });

        await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        var list = await client.JsonAsync($"/api/v1/jobs?mediaId={mediaId}");
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    private async Task<MediaAsset> SaveMediaAsync()
    {
        var media = TestData.UploadedMedia();
        await using var db = factory.CreateDbContext();
        db.MediaAssets.Add(media);
        await db.SaveChangesAsync();
        return media;
    }

    private async Task<int> CountJobsAsync()
    {
        await using var db = factory.CreateDbContext();
        return await db.Jobs.IgnoreQueryFilters().CountAsync();
    }
}
