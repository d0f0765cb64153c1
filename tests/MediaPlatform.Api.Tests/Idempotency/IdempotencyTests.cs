using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaPlatform.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Api.Tests.Idempotency;

public sealed class IdempotencyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_replayed_job_submission_returns_the_stored_response_and_creates_nothing_new()
    {
        var mediaId = await UploadAsync();
        var key = Guid.NewGuid().ToString();

        var first = await PostJobAsync(key, new { mediaId, priority = 3 });
        var replay = await PostJobAsync(key, new { mediaId, priority = 3 });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.Jobs.CountAsync(j => j.MediaAssetId == new Domain.Media.MediaAssetId(mediaId)));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_409()
    {
        var mediaId = await UploadAsync();
        var key = Guid.NewGuid().ToString();
        await PostJobAsync(key, new { mediaId, priority = 3 });

        var reused = await PostJobAsync(key, new { mediaId, priority = 4 });

        Assert.Equal("idempotency.key_reused", (await reused.AssertProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_failed_request_releases_its_key_for_a_corrected_retry()
    {
        var mediaId = await UploadAsync();
        var key = Guid.NewGuid().ToString();

        var failed = await PostJobAsync(key, new { mediaId, priority = 1000 });
        var corrected = await PostJobAsync(key, new { mediaId, priority = 1 });

        await failed.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Accepted, corrected.StatusCode);
        Assert.False(corrected.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task A_replayed_upload_with_a_new_multipart_boundary_returns_the_same_media()
    {
        var key = Guid.NewGuid().ToString();
        var bytes = TestMedia.ToneWav(0.3);

        var first = await UploadWithKeyAsync(key, bytes);
        var filesAfterFirst = TestMedia.StoredFiles(factory.BlobRoot).Count;
        var replay = await UploadWithKeyAsync(key, bytes);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(filesAfterFirst, TestMedia.StoredFiles(factory.BlobRoot).Count);
    }

    [Fact]
    public async Task A_different_file_under_the_same_key_is_409()
    {
        var key = Guid.NewGuid().ToString();
        await UploadWithKeyAsync(key, TestMedia.ToneWav(0.3));

        var other = await UploadWithKeyAsync(key, TestMedia.ToneWav(0.4));

        await other.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData(256)]
    public async Task An_overlong_key_is_400(int length)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = JsonContent.Create(new { mediaId = Guid.NewGuid() }) };
        request.Headers.Add("Idempotency-Key", new string('k', length));

        var response = await _client.SendAsync(request);

        Assert.Equal("idempotency.key_invalid", (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("code").GetString());
    }

    private async Task<HttpResponseMessage> PostJobAsync(string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await _client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> UploadWithKeyAsync(string key, byte[] bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/media") { Content = TestMedia.Upload(bytes) };
        request.Headers.Add("Idempotency-Key", key);
        return await _client.SendAsync(request);
    }

    private async Task<Guid> UploadAsync()
    {
        var response = await _client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(TestMedia.ToneWav(0.2)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
    }
}
