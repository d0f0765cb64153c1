using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.TestSupport.Builders;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Api.Tests.Jobs;

public sealed class JobEndpointTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Submitting_a_job_returns_202_with_its_location_and_stores_it_queued()
    {
        var media = await SaveMediaAsync();

        var response = await _client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = media.Id.Value, language = "en-US", analyses = new[] { "keywords", "speechStatistics" }, priority = 10 });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await JsonAsync(response);
        var id = job.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/jobs/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("queued", job.GetProperty("status").GetString());
        Assert.Equal("transcription", job.GetProperty("kind").GetString());
        Assert.Equal(["keywords", "speechStatistics"], job.GetProperty("analyses").EnumerateArray().Select(a => a.GetString()));
        await using var db = factory.CreateDbContext();
        var stored = await db.Jobs.SingleAsync(j => j.Id == new JobId(id));
        Assert.Equal(10, stored.Priority);
        Assert.Equal(JobStatus.Queued, stored.Status);
    }

    [Fact]
    public async Task Submitting_a_job_for_unknown_media_returns_not_found()
    {
        var response = await _client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = Guid.CreateVersion7() });

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("media.not_found", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_language_the_offline_engine_lacks_is_400_at_submission_and_no_job_is_stored()
    {
        var media = await SaveMediaAsync();

        var response = await _client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = media.Id.Value, language = "fr" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("engine.language_unsupported", problem.GetProperty("code").GetString());
        Assert.Contains("'fr'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["language"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name)); // the field, as validators name theirs
        await using var db = factory.CreateDbContext();
        Assert.Equal(0, await db.Jobs.CountAsync(j => j.MediaAssetId == media.Id));
    }

    [Theory]
    [InlineData("""{}""", "mediaId")]
    [InlineData("""{"mediaId":"0195f0e4-0000-7000-8000-000000000001","language":"english please"}""", "language")]
    [InlineData("""{"mediaId":"0195f0e4-0000-7000-8000-000000000001","priority":1000}""", "priority")]
    [InlineData("""{"mediaId":"0195f0e4-0000-7000-8000-000000000001","engine":"Pocket Sphinx!"}""", "engine")]
    [InlineData("""{"mediaId":"0195f0e4-0000-7000-8000-000000000001","kind":"analysis"}""", "analyses")]
    public async Task An_invalid_submission_is_400_naming_the_field(string body, string field)
    {
        var response = await PostJsonAsync("/api/v1/jobs", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Theory]
    [InlineData("""{"mediaId":""", "not valid JSON")]
    [InlineData("""{"mediaId":42}""", "'mediaId' must be a UUID")]
    [InlineData("""{"mediaId":"0195f0e4-0000-7000-8000-000000000001","kind":"bogus"}""", "'kind' must be one of transcription, analysis")]
    [InlineData("""{"mediaId":"0195f0e4-0000-7000-8000-000000000001","priority":"high"}""", "'priority' must be a whole number")]
    public async Task An_unreadable_body_is_400_with_a_readable_detail(string body, string says)
    {
        var response = await PostJsonAsync("/api/v1/jobs", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains(says, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("MediaPlatform.", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_a_job_returns_it_and_an_unknown_one_is_404()
    {
        var job = await SaveJobAsync();

        var found = await _client.GetAsync(new Uri($"/api/v1/jobs/{job.Id}", UriKind.Relative));
        var missing = await _client.GetAsync(new Uri($"/api/v1/jobs/{Guid.CreateVersion7()}", UriKind.Relative));
        var malformed = await _client.GetAsync(new Uri("/api/v1/jobs/not-a-guid", UriKind.Relative));

        Assert.Equal(job.Id.Value, (await JsonAsync(found)).GetProperty("id").GetGuid());
        Assert.Equal("job.not_found", (await missing.AssertProblemAsync(HttpStatusCode.NotFound)).GetProperty("code").GetString());
        await malformed.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Cancelling_twice_is_a_conflict_and_retrying_queues_the_job_again()
    {
        var job = await SaveJobAsync();

        var cancelled = await _client.PostAsync(new Uri($"/api/v1/jobs/{job.Id}/cancel", UriKind.Relative), null);
        var again = await _client.PostAsync(new Uri($"/api/v1/jobs/{job.Id}/cancel", UriKind.Relative), null);
        var retried = await _client.PostAsync(new Uri($"/api/v1/jobs/{job.Id}/retry", UriKind.Relative), null);
        var retriedAgain = await _client.PostAsync(new Uri($"/api/v1/jobs/{job.Id}/retry", UriKind.Relative), null);

        Assert.Equal("cancelled", (await JsonAsync(cancelled)).GetProperty("status").GetString());
        Assert.Equal("job.invalid_transition", (await again.AssertProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal("queued", (await JsonAsync(retried)).GetProperty("status").GetString());
        await retriedAgain.AssertProblemAsync(HttpStatusCode.Conflict);
        await using var db = factory.CreateDbContext();
        Assert.Equal(JobStatus.Queued, (await db.Jobs.SingleAsync(j => j.Id == job.Id)).Status);
    }

    [Fact]
    public async Task Cancelling_or_retrying_an_unknown_job_is_404()
    {
        var cancel = await _client.PostAsync(new Uri($"/api/v1/jobs/{Guid.CreateVersion7()}/cancel", UriKind.Relative), null);
        var retry = await _client.PostAsync(new Uri($"/api/v1/jobs/{Guid.CreateVersion7()}/retry", UriKind.Relative), null);

        await cancel.AssertProblemAsync(HttpStatusCode.NotFound);
        await retry.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_a_job_removes_it_and_a_running_one_is_refused()
    {
        var job = await SaveJobAsync();
        var running = await SaveJobAsync(start: true);

        var deleted = await _client.DeleteAsync(new Uri($"/api/v1/jobs/{job.Id}", UriKind.Relative));
        var gone = await _client.GetAsync(new Uri($"/api/v1/jobs/{job.Id}", UriKind.Relative));
        var refused = await _client.DeleteAsync(new Uri($"/api/v1/jobs/{running.Id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await gone.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("job.running", (await refused.AssertProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Walking_the_pages_of_250_jobs_returns_each_exactly_once_newest_first()
    {
        var media = await SaveMediaAsync();
        var t0 = TestData.Epoch.AddYears(2);
        var expected = new List<Guid>();
        await using (var db = factory.CreateDbContext())
        {
            for (var i = 0; i < 250; i++)
            {
                // Every third job shares its timestamp with the previous one: ties are broken by id.
                var job = TestData.QueuedJob(media, t0.AddSeconds(i - (i % 3 == 2 ? 1 : 0)));
                db.Jobs.Add(job);
                expected.Add(job.Id.Value);
            }

            await db.SaveChangesAsync();
        }

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = $"/api/v1/jobs?mediaId={media.Id}&limit=37" + (cursor is null ? string.Empty : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await JsonAsync(await _client.GetAsync(new Uri(url, UriKind.Relative)));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 100);

        await using var read = factory.CreateDbContext();
        var newestFirst = (await read.Jobs.Where(j => j.MediaAssetId == media.Id).ToListAsync())
            .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id.Value.ToString()).Select(j => j.Id.Value).ToList();
        Assert.Equal(250, seen.Count);
        Assert.Equal(250, seen.Distinct().Count());
        Assert.Equal(newestFirst, seen);
        Assert.Equal(7, pages);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("cursor=bogus", "cursor")]
    [InlineData("createdAfter=2026-02-01T00:00:00Z&createdBefore=2026-01-01T00:00:00Z", "createdBefore")]
    public async Task Bad_list_parameters_are_400_naming_the_parameter(string query, string field)
    {
        var response = await _client.GetAsync(new Uri($"/api/v1/jobs?{query}", UriKind.Relative));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Theory]
    [InlineData("status=nope")]
    [InlineData("mediaId=123")]
    [InlineData("limit=many")]
    public async Task Unbindable_list_parameters_are_400_problems(string query)
    {
        var response = await _client.GetAsync(new Uri($"/api/v1/jobs?{query}", UriKind.Relative));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(query.Split('=')[0], problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_filters_by_status()
    {
        var media = await SaveMediaAsync();
        var queued = await SaveJobAsync(media);
        var running = await SaveJobAsync(media, start: true);

        var page = await JsonAsync(await _client.GetAsync(new Uri($"/api/v1/jobs?mediaId={media.Id}&status=running", UriKind.Relative)));

        var ids = page.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("id").GetGuid()).ToList();
        Assert.Equal([running.Id.Value], ids);
        Assert.DoesNotContain(queued.Id.Value, ids);
    }

    private async Task<MediaAsset> SaveMediaAsync()
    {
        var media = TestData.UploadedMedia();
        await using var db = factory.CreateDbContext();
        db.MediaAssets.Add(media);
        await db.SaveChangesAsync();
        return media;
    }

    private async Task<Job> SaveJobAsync(MediaAsset? media = null, bool start = false)
    {
        media ??= await SaveMediaAsync();
        var job = TestData.QueuedJob(media, DateTimeOffset.UtcNow);
        if (start)
        {
            job.Start("worker-test", DateTimeOffset.UtcNow.AddMinutes(5), DateTimeOffset.UtcNow);
        }

        await using var db = factory.CreateDbContext();
        db.Jobs.Add(job);
        await db.SaveChangesAsync();
        return job;
    }

    private Task<HttpResponseMessage> PostJsonAsync(string url, string body) =>
        _client.PostAsync(new Uri(url, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

    private static Task<JsonElement> JsonAsync(HttpResponseMessage response) => response.ReadSuccessAsync();
}
