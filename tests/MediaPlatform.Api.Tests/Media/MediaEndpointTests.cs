using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Domain.Media;
using MediaPlatform.TestSupport.Builders;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace MediaPlatform.Api.Tests.Media;

public sealed class MediaEndpointTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task The_stored_bytes_are_served_whole_and_by_range_for_a_player()
    {
        var bytes = TestMedia.ToneWav(1.0);
        var upload = await _client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(bytes, "tone.wav", "audio/wav"));
        var id = (await upload.ReadSuccessAsync()).GetProperty("id").GetGuid();

        var whole = await _client.GetAsync(new Uri($"/api/v1/media/{id}/content", UriKind.Relative));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/media/{id}/content");
        ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, 199);
        var part = await _client.SendAsync(ranged);
        using var beyond = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/media/{id}/content");
        beyond.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(bytes.Length + 10, null);
        var unsatisfiable = await _client.SendAsync(beyond);

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("audio/wav", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
        Assert.Equal("nosniff", whole.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal($"bytes 100-199/{bytes.Length}", part.Content.Headers.ContentRange?.ToString());
        Assert.Equal(bytes[100..200], await part.Content.ReadAsByteArrayAsync());
        // The framework answers an empty 416; a person gets the file's size and what to ask for instead.
        var refused = await unsatisfiable.AssertProblemAsync(HttpStatusCode.RequestedRangeNotSatisfiable);
        Assert.Equal("media.range_not_satisfiable", refused.GetProperty("code").GetString());
        Assert.Equal(bytes.Length, refused.GetProperty("size").GetInt64());
        Assert.Contains($"0-{bytes.Length - 1}", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal($"bytes */{bytes.Length}", unsatisfiable.Content.Headers.ContentRange?.ToString());
        await (await _client.GetAsync(new Uri($"/api/v1/media/{Guid.CreateVersion7()}/content", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_upload_is_stored_with_the_right_sha256_and_size()
    {
        var bytes = TestMedia.ToneWav(2);

        var response = await _client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(bytes, "my talk.wav"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var media = await JsonAsync(response);
        var id = media.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/media/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), media.GetProperty("sha256").GetString());
        Assert.Equal(bytes.Length, media.GetProperty("sizeBytes").GetInt64());
        Assert.Equal("my talk.wav", media.GetProperty("fileName").GetString());
        Assert.Equal("stored", media.GetProperty("status").GetString());
        await using var db = factory.CreateDbContext();
        var stored = await db.MediaAssets.SingleAsync(m => m.Id == new MediaAssetId(id));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(factory.BlobRoot, stored.StorageKey!)));
    }

    [Fact]
    public async Task An_oversize_upload_is_refused_with_413_and_nothing_is_left_behind()
    {
        await using var small = factory.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Media:MaxUploadBytes"] = "20000",
            ["Storage:RootPath"] = Path.Combine(factory.BlobRoot, "small"),
        })));
        await using var db = factory.CreateDbContext();
        var before = await db.MediaAssets.CountAsync();

        var response = await small.CreateClient().PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(TestMedia.ToneWav(2)));

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("20000", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(TestMedia.StoredFiles(Path.Combine(factory.BlobRoot, "small")));
        Assert.Equal(before, await db.MediaAssets.CountAsync());
    }

    [Fact]
    public async Task A_file_that_is_not_audio_or_video_is_415_and_not_stored()
    {
        var before = TestMedia.StoredFiles(factory.BlobRoot).Count;

        var response = await _client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload("hello"u8.ToArray(), "notes.txt", "text/plain"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("media.unsupported_type", problem.GetProperty("code").GetString());
        Assert.Equal(before, TestMedia.StoredFiles(factory.BlobRoot).Count);
    }

    [Fact]
    public async Task An_empty_file_is_400_and_not_stored()
    {
        var before = TestMedia.StoredFiles(factory.BlobRoot).Count;

        var response = await _client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload([], "empty.wav", "audio/wav"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("media.empty", problem.GetProperty("code").GetString());
        Assert.Equal(before, TestMedia.StoredFiles(factory.BlobRoot).Count);
    }

    [Fact]
    public async Task Two_files_in_one_upload_are_400_and_neither_is_kept()
    {
        var storedBefore = TestMedia.StoredFiles(factory.BlobRoot).Count;
        await using var before = factory.CreateDbContext();
        var mediaBefore = await before.MediaAssets.IgnoreQueryFilters().CountAsync();
        var form = TestMedia.Upload(TestMedia.ToneWav(), "first.wav");
        var second = new ByteArrayContent(TestMedia.ToneWav(0.25));
        second.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("audio/wav");
        form.Add(second, "file", "second.wav");

        var response = await _client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), form);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("media.too_many_files", problem.GetProperty("code").GetString());
        await using var after = factory.CreateDbContext();
        Assert.Equal(mediaBefore, await after.MediaAssets.IgnoreQueryFilters().CountAsync());
        Assert.Equal(storedBefore, TestMedia.StoredFiles(factory.BlobRoot).Count);
    }

    [Fact]
    public async Task A_multipart_body_without_a_file_is_400()
    {
        var form = new MultipartFormDataContent { { new StringContent("x"), "note" } };

        var response = await _client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), form);

        Assert.Equal("media.file_missing", (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_body_that_is_neither_multipart_nor_json_is_415()
    {
        var response = await _client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), new StringContent("x", Encoding.UTF8, "text/plain"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Media_on_a_public_address_is_registered_by_url()
    {
        var response = await _client.PostAsJsonAsync("/api/v1/media", new { url = "http://93.184.216.34/talks/keynote.mp3" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var media = await JsonAsync(response);
        Assert.Equal("url", media.GetProperty("source").GetString());
        Assert.Equal("registered", media.GetProperty("status").GetString());
        Assert.Equal("keynote.mp3", media.GetProperty("fileName").GetString());
    }

    [Theory]
    [InlineData("http://127.0.0.1/a.mp3")]
    [InlineData("http://localhost:5432/a.mp3")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.1.2.3/a.mp3")]
    [InlineData("http://192.168.1.1/a.mp3")]
    [InlineData("http://[::1]/a.mp3")]
    [InlineData("http://[::ffff:10.0.0.1]/a.mp3")]
    [InlineData("http://0.0.0.0/a.mp3")]
    public async Task Urls_into_private_networks_are_refused(string url)
    {
        var response = await _client.PostAsJsonAsync("/api/v1/media", new { url });

        Assert.Equal("media.url_forbidden", (await response.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("ftp://example.org/a.mp3")]
    [InlineData("file:///etc/passwd")]
    [InlineData("not a url")]
    [InlineData("http://user:secret@93.184.216.34/a.mp3")]
    [InlineData("")]
    public async Task Urls_that_are_not_plain_http_are_400(string url)
    {
        var response = await _client.PostAsJsonAsync("/api/v1/media", new { url });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("url", out _));
    }

    [Theory]
    [InlineData("{\"url\":")]
    [InlineData("{\"url\": 42}")]
    [InlineData("[1, 2]")]
    public async Task A_malformed_json_registration_is_400_not_500(string body)
    {
        // Found by the hostile-input suite: the endpoint reads its own JSON, and a JsonException used to escape as a 500.
        var response = await _client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var detail = problem.GetProperty("detail").GetString();
        Assert.True(detail!.Contains("JSON", StringComparison.Ordinal) || detail.Contains("'url' must be a string", StringComparison.Ordinal), detail);
        Assert.DoesNotContain("MediaPlatform.", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_multipart_body_is_400_not_500()
    {
        var content = new StringContent("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF", Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");

        var response = await _client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), content);

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Reading_listing_and_filtering_media()
    {
        var first = await UploadAsync();
        var second = await UploadAsync();

        var found = await _client.GetAsync(new Uri($"/api/v1/media/{first}", UriKind.Relative));
        var missing = await _client.GetAsync(new Uri($"/api/v1/media/{Guid.CreateVersion7()}", UriKind.Relative));
        var page = await JsonAsync(await _client.GetAsync(new Uri("/api/v1/media?limit=1&status=stored", UriKind.Relative)));
        var next = await JsonAsync(await _client.GetAsync(new Uri($"/api/v1/media?limit=1&status=stored&cursor={page.GetProperty("nextCursor").GetString()}", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Equal("media.not_found", (await missing.AssertProblemAsync(HttpStatusCode.NotFound)).GetProperty("code").GetString());
        Assert.Equal(second, Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(first, Assert.Single(next.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Deleting_media_removes_its_row_its_finished_jobs_and_its_blob()
    {
        var id = await UploadAsync();
        await using (var db = factory.CreateDbContext())
        {
            var media = await db.MediaAssets.SingleAsync(m => m.Id == new MediaAssetId(id));
            var job = TestData.QueuedJob(media, DateTimeOffset.UtcNow);
            job.Cancel(DateTimeOffset.UtcNow);
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
        }

        string key;
        await using (var db = factory.CreateDbContext())
        {
            key = (await db.MediaAssets.SingleAsync(m => m.Id == new MediaAssetId(id))).StorageKey!;
        }

        var response = await _client.DeleteAsync(new Uri($"/api/v1/media/{id}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(File.Exists(Path.Combine(factory.BlobRoot, key)));
        await using var read = factory.CreateDbContext();
        Assert.False(await read.MediaAssets.AnyAsync(m => m.Id == new MediaAssetId(id)));
        Assert.False(await read.Jobs.AnyAsync(j => j.MediaAssetId == new MediaAssetId(id)));
        await (await _client.DeleteAsync(new Uri($"/api/v1/media/{id}", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_media_while_a_job_uses_it_is_409_and_keeps_everything()
    {
        var id = await UploadAsync();
        var job = await _client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = id });
        Assert.Equal(HttpStatusCode.Accepted, job.StatusCode);

        var response = await _client.DeleteAsync(new Uri($"/api/v1/media/{id}", UriKind.Relative));

        Assert.Equal("media.in_use", (await response.AssertProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(new Uri($"/api/v1/media/{id}", UriKind.Relative))).StatusCode);
    }

    private async Task<Guid> UploadAsync()
    {
        var response = await _client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(TestMedia.ToneWav(0.2)));
        return (await JsonAsync(response)).GetProperty("id").GetGuid();
    }

    private static Task<JsonElement> JsonAsync(HttpResponseMessage response) => response.ReadSuccessAsync();
}
