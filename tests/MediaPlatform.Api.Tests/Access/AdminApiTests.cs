using System.Net;
using System.Net.Http.Json;
using System.Text;
using MediaPlatform.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Api.Tests.Access;

public sealed class AdminApiTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _admin = factory.CreateClient();

    [Fact]
    public async Task A_tenant_is_created_with_limits_read_listed_and_named_once()
    {
        var name = $"team-{Guid.NewGuid():N}";
        var response = await _admin.PostAsJsonAsync("/api/v1/tenants", new { name, limits = new { maxQueuedJobs = 10, retentionDays = 30 } });

        var created = await response.ReadSuccessAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/tenants/{id}", response.Headers.Location?.OriginalString);
        var read = await _admin.JsonAsync($"/api/v1/tenants/{id}");
        Assert.Equal(10, read.GetProperty("limits").GetProperty("maxQueuedJobs").GetInt32());
        Assert.Equal(30, read.GetProperty("limits").GetProperty("retentionDays").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, read.GetProperty("limits").GetProperty("storageBytes").ValueKind);
        var list = await _admin.JsonAsync("/api/v1/tenants?limit=100");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetGuid() == id);

        var again = await _admin.PostAsJsonAsync("/api/v1/tenants", new { name });
        Assert.Equal("tenant.name_taken", (await again.AssertProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{ "name": "" }""")]
    [InlineData("""{ "name": "x", "limits": { "maxQueuedJobs": 0 } }""")]
    [InlineData("""{ "name": "x", "limits": { "retentionDays": -1 } }""")]
    [InlineData("""{ "limits": {} }""")]
    public async Task Invalid_tenants_are_400_and_nothing_is_stored(string body)
    {
        var before = await TenantCountAsync();

        var response = await _admin.PostAsync(new Uri("/api/v1/tenants", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before, await TenantCountAsync());
    }

    [Fact]
    public async Task A_limits_patch_changes_only_what_it_names_and_null_removes_a_limit()
    {
        var id = await TenantApi.CreateTenantAsync(_admin, $"patch-{Guid.NewGuid():N}", new { maxQueuedJobs = 5, storageBytes = 1000, retentionDays = 7 });

        var patched = await (await _admin.PatchAsync(
            new Uri($"/api/v1/tenants/{id}", UriKind.Relative),
            new StringContent("""{ "limits": { "maxQueuedJobs": 50, "storageBytes": null } }""", Encoding.UTF8, "application/merge-patch+json"))).ReadSuccessAsync();

        var limits = patched.GetProperty("limits");
        Assert.Equal(50, limits.GetProperty("maxQueuedJobs").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, limits.GetProperty("storageBytes").ValueKind);
        Assert.Equal(7, limits.GetProperty("retentionDays").GetInt32());
    }

    [Theory]
    [InlineData("""{ "limits": { "maxQueuedJob": 5 } }""", "maxQueuedJob")]
    [InlineData("""{ "limits": { "maxQueuedJobs": "many" } }""", "whole number")]
    [InlineData("""{ "id": "00000000-0000-0000-0000-000000000009" }""", "cannot be changed")]
    [InlineData("""[1, 2]""", "JSON object")]
    public async Task A_patch_the_api_cannot_apply_is_400_naming_the_problem(string body, string detail)
    {
        var id = await TenantApi.CreateTenantAsync(_admin, $"bad-patch-{Guid.NewGuid():N}");

        var response = await _admin.PatchAsync(new Uri($"/api/v1/tenants/{id}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_is_shown_once_listed_without_its_secret_and_works_until_revoked()
    {
        var tenant = await TenantApi.CreateTenantAsync(_admin, $"keys-{Guid.NewGuid():N}");
        var created = await (await _admin.PostAsJsonAsync($"/api/v1/tenants/{tenant}/keys", new { name = "ci", scopes = new[] { "read" }, expiresAt = DateTimeOffset.UtcNow.AddDays(1) })).ReadSuccessAsync();
        var key = created.GetProperty("key").GetString()!;

        Assert.Matches("^mp_live_[A-Za-z0-9]{43}$", key);
        Assert.Equal(key[..12], created.GetProperty("prefix").GetString());
        var listed = await (await _admin.GetAsync(new Uri($"/api/v1/tenants/{tenant}/keys", UriKind.Relative))).Content.ReadAsStringAsync();
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        Assert.Contains(key[..12], listed, StringComparison.Ordinal);
        Assert.DoesNotContain("\"key\"", listed, StringComparison.Ordinal);
        var me = await factory.CreateClient(key).JsonAsync("/api/v1/me");
        Assert.Equal(tenant, me.GetProperty("tenant").GetProperty("id").GetGuid());
        Assert.Equal(["read"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Theory]
    [InlineData("""{ "name": "k", "scopes": [] }""")]
    [InlineData("""{ "name": "k", "scopes": ["root"] }""")]
    [InlineData("""{ "name": "", "scopes": ["read"] }""")]
    [InlineData("""{ "name": "k", "scopes": ["read"], "expiresAt": "2001-01-01T00:00:00Z" }""")]
    public async Task Invalid_keys_are_400(string body)
    {
        var tenant = await TenantApi.CreateTenantAsync(_admin, $"badkeys-{Guid.NewGuid():N}");

        var response = await _admin.PostAsync(new Uri($"/api/v1/tenants/{tenant}/keys", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Keys_of_an_unknown_tenant_are_404()
    {
        var response = await _admin.PostAsJsonAsync($"/api/v1/tenants/{Guid.CreateVersion7()}/keys", new { name = "k", scopes = new[] { "read" } });

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_a_tenant_deletes_its_keys_media_jobs_and_stored_bytes()
    {
        var (tenant, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"gone-{Guid.NewGuid():N}");
        var media = (await (await client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(TestMedia.ToneWav()))).ReadSuccessAsync()).GetProperty("id").GetGuid();
        await (await client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = media })).ReadSuccessAsync();
        string storageKey;
        await using (var db = factory.CreateDbContext())
        {
            storageKey = (await db.MediaAssets.SingleAsync(m => m.Id == new Domain.Media.MediaAssetId(media))).StorageKey!;
        }

        Assert.True(File.Exists(Path.Combine(factory.BlobRoot, storageKey)));

        Assert.Equal(HttpStatusCode.NoContent, (await _admin.DeleteAsync(new Uri($"/api/v1/tenants/{tenant}", UriKind.Relative))).StatusCode);

        Assert.False(File.Exists(Path.Combine(factory.BlobRoot, storageKey)));
        await using (var db = factory.CreateDbContext())
        {
            var id = new Domain.Tenants.TenantId(tenant);
            Assert.Equal(0, await db.MediaAssets.CountAsync(m => m.TenantId == id));
            Assert.Equal(0, await db.Jobs.CountAsync(j => j.TenantId == id));
            Assert.Equal(0, await db.ApiKeys.CountAsync(k => k.TenantId == id));
            Assert.False(await db.Tenants.AnyAsync(t => t.Id == id));
        }

        await (await client.GetAsync(new Uri("/api/v1/media", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await _admin.GetAsync(new Uri($"/api/v1/tenants/{tenant}", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_key_cannot_delete_its_own_tenant()
    {
        var response = await _admin.DeleteAsync(new Uri($"/api/v1/tenants/{Domain.Tenants.TenantId.Default}", UriKind.Relative));

        Assert.Equal("tenant.own_tenant", (await response.AssertProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Me_shows_usage_against_each_limit()
    {
        var (_, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"usage-{Guid.NewGuid():N}", new { maxQueuedJobs = 5, storageBytes = 10_000_000 });
        var media = (await (await client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(TestMedia.ToneWav()))).ReadSuccessAsync());
        await (await client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = media.GetProperty("id").GetGuid() })).ReadSuccessAsync();

        var usage = (await client.JsonAsync("/api/v1/me")).GetProperty("usage");

        Assert.Equal(5, usage.GetProperty("maxQueuedJobs").GetProperty("limit").GetInt32());
        Assert.Equal(1, usage.GetProperty("maxQueuedJobs").GetProperty("used").GetInt32());
        Assert.Equal(media.GetProperty("sizeBytes").GetInt64(), usage.GetProperty("storageBytes").GetProperty("used").GetInt64());
        Assert.True(usage.GetProperty("requestsPerMinute").GetProperty("used").GetInt32() >= 0);
    }

    private async Task<int> TenantCountAsync()
    {
        await using var db = factory.CreateDbContext();
        return await db.Tenants.CountAsync();
    }
}
