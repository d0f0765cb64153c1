using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Transcriptions;
using MediaPlatform.TestSupport.Builders;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Api.Tests.Access;

/// <summary>
/// Walks every operation of /openapi/v1.json: tenant B's key on tenant A's resources (404 exactly as if they did not
/// exist, and nothing of A changes), no key (401), a read-only key on writes (403), a revoked key (401). An operation
/// the table below does not know fails the suite, so a new endpoint cannot ship without its isolation case.
/// </summary>
public sealed class TenantIsolationTests(ApiFactory factory) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private readonly HttpClient _a = factory.CreateClient();
    private Resources _res = null!;
    private HttpClient _b = null!;
    private HttpClient _bReadOnly = null!;
    private HttpClient _revoked = null!;
    private Guid _tenantB;

    /// <summary>How B's call on A's resource must be answered.</summary>
    private enum Expect
    {
        /// <summary>404 problem+json, as for an id that does not exist.</summary>
        NotFound,

        /// <summary>200 with a list in which none of A's ids appear.</summary>
        ListWithoutA,

        /// <summary>B acts on its own data (a create): A's data stays as it was.</summary>
        OwnData,

        /// <summary>The admin API: B's key has no admin scope.</summary>
        Forbidden,

        /// <summary>GET /me: B's own tenant.</summary>
        Self,
    }

    private sealed record Resources(Guid Media, Guid FinishedJob, Guid QueuedJob, Guid Transcription, Guid Webhook, Guid Vocabulary);

    private sealed record Case(Expect Expect, Func<Resources, HttpRequestMessage> Request);

    private Dictionary<string, Case> Cases => new()
    {
        ["POST /api/v1/media"] = new(Expect.OwnData, _ => Multipart("/api/v1/media")),
        ["GET /api/v1/media"] = new(Expect.ListWithoutA, _ => Get("/api/v1/media")),
        ["GET /api/v1/media/{id}"] = new(Expect.NotFound, r => Get($"/api/v1/media/{r.Media}")),
        ["GET /api/v1/media/{id}/content"] = new(Expect.NotFound, r => Get($"/api/v1/media/{r.Media}/content")),
        ["DELETE /api/v1/media/{id}"] = new(Expect.NotFound, r => new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/media/{r.Media}")),
        ["POST /api/v1/jobs"] = new(Expect.NotFound, r => Json(HttpMethod.Post, "/api/v1/jobs", new { mediaId = r.Media })),
        ["POST /api/v1/jobs/batch"] = new(Expect.NotFound, r => Json(HttpMethod.Post, "/api/v1/jobs/batch", new { jobs = new[] { new { mediaId = r.Media } } })),
        ["GET /api/v1/jobs"] = new(Expect.ListWithoutA, r => Get($"/api/v1/jobs?mediaId={r.Media}")),
        ["GET /api/v1/jobs/{id}"] = new(Expect.NotFound, r => Get($"/api/v1/jobs/{r.FinishedJob}")),
        ["DELETE /api/v1/jobs/{id}"] = new(Expect.NotFound, r => new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/jobs/{r.FinishedJob}")),
        ["POST /api/v1/jobs/{id}/cancel"] = new(Expect.NotFound, r => Json(HttpMethod.Post, $"/api/v1/jobs/{r.QueuedJob}/cancel", new { })),
        ["POST /api/v1/jobs/{id}/retry"] = new(Expect.NotFound, r => Json(HttpMethod.Post, $"/api/v1/jobs/{r.FinishedJob}/retry", new { })),
        ["GET /api/v1/jobs/{id}/events"] = new(Expect.NotFound, r => Get($"/api/v1/jobs/{r.FinishedJob}/events")),
        ["GET /api/v1/jobs/{id}/transcription"] = new(Expect.NotFound, r => Get($"/api/v1/jobs/{r.FinishedJob}/transcription")),
        ["GET /api/v1/jobs/{id}/subtitles"] = new(Expect.NotFound, r => Get($"/api/v1/jobs/{r.FinishedJob}/subtitles?format=srt")),
        ["GET /api/v1/jobs/{id}/export"] = new(Expect.NotFound, r => Get($"/api/v1/jobs/{r.FinishedJob}/export?format=json")),
        ["GET /api/v1/jobs/{id}/redacted-audio"] = new(Expect.NotFound, r => Get($"/api/v1/jobs/{r.FinishedJob}/redacted-audio")),
        ["GET /api/v1/transcriptions/{id}/unredacted"] = new(Expect.Forbidden, r => Get($"/api/v1/transcriptions/{r.Transcription}/unredacted")),
        ["GET /api/v1/jobs/{id}/analyses"] = new(Expect.NotFound, r => Get($"/api/v1/jobs/{r.FinishedJob}/analyses")),
        ["GET /api/v1/search"] = new(Expect.ListWithoutA, _ => Get("/api/v1/search?q=hello%20or%20world%20or%20the")),
        ["GET /api/v1/transcriptions/{id}"] = new(Expect.NotFound, r => Get($"/api/v1/transcriptions/{r.Transcription}")),
        ["PATCH /api/v1/transcriptions/{id}"] = new(Expect.NotFound, r => IfMatchAny(Json(HttpMethod.Patch, $"/api/v1/transcriptions/{r.Transcription}", new { segments = new[] { new { index = 0, text = "changed by b" } } }))),
        ["GET /api/v1/transcriptions/{id}/sentences"] = new(Expect.NotFound, r => Get($"/api/v1/transcriptions/{r.Transcription}/sentences")),
        ["GET /api/v1/transcriptions/{id}/paragraphs"] = new(Expect.NotFound, r => Get($"/api/v1/transcriptions/{r.Transcription}/paragraphs")),
        ["GET /api/v1/transcriptions/{id}/word-search"] = new(Expect.NotFound, r => Get($"/api/v1/transcriptions/{r.Transcription}/word-search?terms=the")),
        ["POST /api/v1/vocabularies"] = new(Expect.OwnData, _ => Json(HttpMethod.Post, "/api/v1/vocabularies", new { name = "b's", terms = new[] { "Kubernetes" } })),
        ["GET /api/v1/vocabularies"] = new(Expect.ListWithoutA, _ => Get("/api/v1/vocabularies")),
        ["GET /api/v1/vocabularies/{id}"] = new(Expect.NotFound, r => Get($"/api/v1/vocabularies/{r.Vocabulary}")),
        ["DELETE /api/v1/vocabularies/{id}"] = new(Expect.NotFound, r => new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/vocabularies/{r.Vocabulary}")),
        ["GET /api/v1/queue"] = new(Expect.ListWithoutA, _ => Get("/api/v1/queue")),
        ["POST /api/v1/webhooks"] = new(Expect.OwnData, _ => Json(HttpMethod.Post, "/api/v1/webhooks", new { url = "https://93.184.215.14/b", events = new[] { "*" } })),
        ["GET /api/v1/webhooks"] = new(Expect.ListWithoutA, _ => Get("/api/v1/webhooks")),
        ["GET /api/v1/webhooks/{id}"] = new(Expect.NotFound, r => Get($"/api/v1/webhooks/{r.Webhook}")),
        ["PATCH /api/v1/webhooks/{id}"] = new(Expect.NotFound, r => Json(HttpMethod.Patch, $"/api/v1/webhooks/{r.Webhook}", new { events = new[] { "*" } })),
        ["POST /api/v1/webhooks/job-secret"] = new(Expect.OwnData, _ => Json(HttpMethod.Post, "/api/v1/webhooks/job-secret", new { })),
        ["DELETE /api/v1/webhooks/{id}"] = new(Expect.NotFound, r => new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/webhooks/{r.Webhook}")),
        ["POST /api/v1/webhooks/{id}/rotate-secret"] = new(Expect.NotFound, r => Json(HttpMethod.Post, $"/api/v1/webhooks/{r.Webhook}/rotate-secret", new { })),
        ["POST /api/v1/webhooks/{id}/test"] = new(Expect.NotFound, r => Json(HttpMethod.Post, $"/api/v1/webhooks/{r.Webhook}/test", new { })),
        ["GET /api/v1/webhooks/{id}/deliveries"] = new(Expect.NotFound, r => Get($"/api/v1/webhooks/{r.Webhook}/deliveries")),
        ["POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver"] = new(Expect.NotFound, r => Json(HttpMethod.Post, $"/api/v1/webhooks/{r.Webhook}/deliveries/{Guid.CreateVersion7()}/redeliver", new { })),
        ["GET /api/v1/me"] = new(Expect.Self, _ => Get("/api/v1/me")),
        ["POST /api/v1/session"] = new(Expect.OwnData, _ => new HttpRequestMessage(HttpMethod.Post, "/api/v1/session")),
        ["DELETE /api/v1/session"] = new(Expect.OwnData, _ => new HttpRequestMessage(HttpMethod.Delete, "/api/v1/session")),
        ["POST /v1/audio/transcriptions"] = new(Expect.OwnData, _ => Multipart("/v1/audio/transcriptions")),
        ["GET /v1/models"] = new(Expect.ListWithoutA, _ => Get("/v1/models")),
        ["POST /api/v1/tenants"] = new(Expect.Forbidden, _ => Json(HttpMethod.Post, "/api/v1/tenants", new { name = "intruder" })),
        ["GET /api/v1/tenants"] = new(Expect.Forbidden, _ => Get("/api/v1/tenants")),
        ["GET /api/v1/tenants/{id}"] = new(Expect.Forbidden, _ => Get($"/api/v1/tenants/{Domain.Tenants.TenantId.Default}")),
        ["PATCH /api/v1/tenants/{id}"] = new(Expect.Forbidden, _ => Json(HttpMethod.Patch, $"/api/v1/tenants/{Domain.Tenants.TenantId.Default}", new { limits = new { maxQueuedJobs = 1 } })),
        ["DELETE /api/v1/tenants/{id}"] = new(Expect.Forbidden, _ => new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/tenants/{Domain.Tenants.TenantId.Default}")),
        ["POST /api/v1/tenants/{id}/keys"] = new(Expect.Forbidden, _ => Json(HttpMethod.Post, $"/api/v1/tenants/{Domain.Tenants.TenantId.Default}/keys", new { name = "x", scopes = new[] { "admin" } })),
        ["GET /api/v1/tenants/{id}/keys"] = new(Expect.Forbidden, _ => Get($"/api/v1/tenants/{Domain.Tenants.TenantId.Default}/keys")),
        ["DELETE /api/v1/tenants/{id}/keys/{keyId}"] = new(Expect.Forbidden, _ => new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/tenants/{Domain.Tenants.TenantId.Default}/keys/{Guid.CreateVersion7()}")),
    };

    public async Task InitializeAsync()
    {
        _res = await CreateResourcesOfTenantAAsync();
        _tenantB = await TenantApi.CreateTenantAsync(_a, $"tenant-b-{Guid.NewGuid():N}");
        _b = factory.CreateClient((await TenantApi.CreateKeyAsync(_a, _tenantB, "read", "write")).Key);
        _bReadOnly = factory.CreateClient((await TenantApi.CreateKeyAsync(_a, _tenantB, "read")).Key);
        var (revokedId, revokedKey) = await TenantApi.CreateKeyAsync(_a, _tenantB, "read", "write", "admin");
        Assert.Equal(HttpStatusCode.NoContent, (await _a.DeleteAsync(new Uri($"/api/v1/tenants/{_tenantB}/keys/{revokedId}", UriKind.Relative))).StatusCode);
        _revoked = factory.CreateClient(revokedKey);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_isolation_table_covers_every_operation_of_the_openapi_document()
    {
        var operations = await OperationsAsync();

        var missing = operations.Where(o => !o.StartsWith("GET /health", StringComparison.Ordinal) && !Cases.ContainsKey(o)).ToList();
        var stale = Cases.Keys.Where(k => !operations.Contains(k)).ToList();
        Assert.True(missing.Count == 0, $"Operations without an isolation case: {string.Join(", ", missing)}");
        Assert.True(stale.Count == 0, $"Isolation cases for operations that do not exist: {string.Join(", ", stale)}");
    }

    [Fact]
    public async Task Another_tenants_key_finds_nothing_of_tenant_a_and_changes_nothing()
    {
        var before = await SnapshotOfTenantAAsync();
        foreach (var (operation, @case) in Cases)
        {
            var response = await _b.SendAsync(@case.Request(_res));
            var body = await response.Content.ReadAsStringAsync();
            switch (@case.Expect)
            {
                case Expect.NotFound:
                    Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{operation}: {(int)response.StatusCode} {body}");
                    Assert.Equal(operation.Contains(" /v1/", StringComparison.Ordinal) ? "application/json" : "application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    break;
                case Expect.ListWithoutA:
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{operation}: {(int)response.StatusCode} {body}");
                    foreach (var id in new[] { _res.Media, _res.FinishedJob, _res.QueuedJob, _res.Webhook })
                    {
                        Assert.DoesNotContain(id.ToString(), body, StringComparison.OrdinalIgnoreCase);
                    }

                    break;
                case Expect.OwnData:
                    Assert.True(response.IsSuccessStatusCode, $"{operation}: {(int)response.StatusCode} {body}");
                    break;
                case Expect.Forbidden:
                    Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{operation}: {(int)response.StatusCode} {body}");
                    break;
                case Expect.Self:
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{operation}: {(int)response.StatusCode} {body}");
                    Assert.Equal(_tenantB, JsonDocument.Parse(body).RootElement.GetProperty("tenant").GetProperty("id").GetGuid());
                    break;
            }
        }

        Assert.Equal(before, await SnapshotOfTenantAAsync());
        // A still sees its own, so the 404s above were about B, not about missing data.
        Assert.Equal(_res.Media, (await _a.JsonAsync($"/api/v1/media/{_res.Media}")).GetProperty("id").GetGuid());
        Assert.Equal("queued", (await _a.JsonAsync($"/api/v1/jobs/{_res.QueuedJob}")).GetProperty("status").GetString());
        Assert.Equal(_res.Transcription, (await _a.JsonAsync($"/api/v1/transcriptions/{_res.Transcription}")).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Without_a_key_every_operation_is_401_with_a_bearer_challenge()
    {
        var anonymous = factory.CreateAnonymousClient();
        foreach (var (operation, @case) in Cases)
        {
            var response = await anonymous.SendAsync(@case.Request(_res));

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{operation}: {(int)response.StatusCode}");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            // The OpenAI-compatible endpoints answer in OpenAI's error shape; every other in problem+json.
            Assert.Equal(operation.Contains(" /v1/", StringComparison.Ordinal) ? "application/json" : "application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_revoked_key_is_401_on_every_operation()
    {
        foreach (var (operation, @case) in Cases)
        {
            var response = await _revoked.SendAsync(@case.Request(_res));

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{operation}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_read_only_key_is_403_on_every_write_and_answers_reads()
    {
        foreach (var (operation, @case) in Cases)
        {
            var request = @case.Request(_res);
            var response = await _bReadOnly.SendAsync(request);

            if (request.Method == HttpMethod.Get || ReadScopeSuffices.Contains(operation))
            {
                Assert.True(response.StatusCode != HttpStatusCode.Unauthorized && (@case.Expect == Expect.Forbidden || response.StatusCode != HttpStatusCode.Forbidden), $"{operation}: {(int)response.StatusCode}");
            }
            else if (operation.Contains(" /v1/", StringComparison.Ordinal))
            {
                // OpenAI's error shape on the OpenAI-compatible endpoints.
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
                Assert.Equal("insufficient_permissions", error.GetProperty("code").GetString());
            }
            else
            {
                var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
                Assert.Equal("auth.scope_missing", problem.GetProperty("code").GetString());
            }
        }
    }

    /// <summary>
    /// Not GETs, yet they change no data: the dashboard's session cookie, which only reads accept, so a read-only key
    /// can play media and download exports in the browser.
    /// </summary>
    private static readonly HashSet<string> ReadScopeSuffices = ["POST /api/v1/session", "DELETE /api/v1/session"];

    private async Task<HashSet<string>> OperationsAsync()
    {
        var document = JsonDocument.Parse(await (await _a.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative))).Content.ReadAsStringAsync()).RootElement;
        var operations = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject().Where(m => m.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                operations.Add($"{method.Name.ToUpperInvariant()} {path.Name}");
            }
        }

        return operations;
    }

    /// <summary>A's media (with bytes), a finished job with transcription and analysis, a queued job.</summary>
    private async Task<Resources> CreateResourcesOfTenantAAsync()
    {
        var upload = await _a.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(TestMedia.ToneWav()));
        var media = (await upload.ReadSuccessAsync()).GetProperty("id").GetGuid();
        var queued = (await (await _a.PostAsJsonAsync("/api/v1/jobs", new { mediaId = media })).ReadSuccessAsync()).GetProperty("id").GetGuid();

        var other = TestData.UploadedMedia();
        var finished = TestData.QueuedJob(other);
        finished.Start("test-worker", TestData.Epoch.AddMinutes(1), TestData.Epoch);
        finished.Complete("test-worker", TestData.Epoch);
        var transcription = Transcription.Create(finished.Id, other.Id, "en", "pocketsphinx", "en-us",
            [new Segment(0.5, 1.5, "hello world", 0.9, [new Word("hello", 0.5, 0.9, 0.9), new Word("world", 1.0, 1.5, 0.9)])], TestData.Epoch).Value;
        var analysis = AnalysisResult.Create(finished.Id, transcription.Id, AnalysisKind.Sentiment, """{"label":"positive"}""", 0.4m, TestData.Epoch).Value;
        await using var db = factory.CreateDbContext();
        db.MediaAssets.Add(other);
        db.Jobs.Add(finished);
        db.Transcriptions.Add(transcription);
        db.AnalysisResults.Add(analysis);
        await db.SaveChangesAsync();
        var webhook = await _a.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://93.184.215.14/a", events = new[] { "job.succeeded" } });
        var vocabulary = await _a.PostAsJsonAsync("/api/v1/vocabularies", new { name = "a's", terms = new[] { "Anand" } });
        return new Resources(
            media, finished.Id.Value, queued, transcription.Id.Value, (await webhook.ReadSuccessAsync()).GetProperty("id").GetGuid(),
            (await vocabulary.ReadSuccessAsync()).GetProperty("id").GetGuid());
    }

    /// <summary>Everything of tenant A that B's requests could touch, as text.</summary>
    private async Task<string> SnapshotOfTenantAAsync()
    {
        await using var db = factory.CreateDbContext();
        var tenant = Domain.Tenants.TenantId.Default;
        var media = await db.MediaAssets.Where(m => m.TenantId == tenant).OrderBy(m => m.Id).Select(m => $"{m.Id}:{m.Status}:{m.Version}:{m.StorageKey}").ToListAsync();
        var bytesPresent = (await db.MediaAssets.Where(m => m.TenantId == tenant && m.StorageKey != null).Select(m => m.StorageKey!).ToListAsync())
            .Count(key => File.Exists(Path.Combine(factory.BlobRoot, key)));
        var jobs = await db.Jobs.Where(j => j.TenantId == tenant).OrderBy(j => j.Id).Select(j => $"{j.Id}:{j.Status}:{j.Version}").ToListAsync();
        var transcriptions = await db.Transcriptions.CountAsync(t => t.TenantId == tenant);
        var analyses = await db.AnalysisResults.CountAsync(a => a.TenantId == tenant);
        var limits = await db.Tenants.Where(t => t.Id == tenant).Select(t => t.Limits.MaxQueuedJobs).SingleAsync();
        return $"{string.Join(',', media)}|{string.Join(',', jobs)}|{transcriptions}|{analyses}|{limits}|{bytesPresent}";
    }

    private static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url);

    private static HttpRequestMessage Json(HttpMethod method, string url, object body) =>
        new(method, url) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };

    private static HttpRequestMessage IfMatchAny(HttpRequestMessage request)
    {
        request.Headers.TryAddWithoutValidation("If-Match", "*");
        return request;
    }

    private static HttpRequestMessage Multipart(string url) =>
        new(HttpMethod.Post, url) { Content = TestMedia.Upload(TestMedia.ToneWav(0.2)) };
}
