using System.Net;
using MediaPlatform.Api.Tests.Infrastructure;

namespace MediaPlatform.Api.Tests.Access;

/// <summary>
/// The dashboard's session cookie: set only from a request that carries a key, HttpOnly and SameSite=Strict, and
/// accepted only where a browser reads without script (media bytes, exports), never for anything else.
/// </summary>
public sealed class SessionCookieTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_session_cookie_is_httponly_samesite_strict_and_holds_the_callers_key()
    {
        var response = await factory.CreateClient().PostAsync(new Uri("/api/v1/session", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"mp_session={ApiFactory.AdminKey};", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/api/v1", cookie, StringComparison.OrdinalIgnoreCase);
        // A session cookie: never written to the browser's disk, gone when the browser closes.
        Assert.DoesNotContain("max-age", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Behind_a_tls_terminating_proxy_the_cookie_is_secure()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/session");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Contains("secure", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_page_is_served_without_a_key_under_a_strict_content_security_policy()
    {
        foreach (var path in new[] { "/", "/app.js", "/js/api.js", "/app.css" })
        {
            var response = await factory.CreateAnonymousClient().GetAsync(new Uri(path, UriKind.Relative));

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("require-trusted-types-for 'script'", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        }
    }

    [Fact]
    public async Task The_cookie_reads_media_bytes_and_exports_but_nothing_else()
    {
        var admin = factory.CreateClient();
        var upload = await admin.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(TestMedia.ToneWav()));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var mediaId = (await upload.ReadSuccessAsync()).GetProperty("id").GetGuid();
        var cookieOnly = factory.CreateAnonymousClient();
        cookieOnly.DefaultRequestHeaders.Add("Cookie", $"mp_session={ApiFactory.AdminKey}");

        var content = await cookieOnly.GetAsync(new Uri($"/api/v1/media/{mediaId}/content", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.Equal(TestMedia.ToneWav().Length, (await content.Content.ReadAsByteArrayAsync()).Length);
        // An export of a job that does not exist: past authentication (404, not 401).
        var export = await cookieOnly.GetAsync(new Uri($"/api/v1/jobs/{Guid.CreateVersion7()}/export?format=srt", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, export.StatusCode);

        // Everything else wants the header: other reads, and every write (a cookie travels by itself).
        Assert.Equal(HttpStatusCode.Unauthorized, (await cookieOnly.GetAsync(new Uri($"/api/v1/media/{mediaId}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cookieOnly.GetAsync(new Uri("/api/v1/jobs", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cookieOnly.DeleteAsync(new Uri($"/api/v1/media/{mediaId}", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await cookieOnly.PostAsync(new Uri("/api/v1/session", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(new Uri($"/api/v1/media/{mediaId}", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_cookie_with_a_revoked_key_reads_nothing()
    {
        var admin = factory.CreateClient();
        var tenant = await TenantApi.CreateTenantAsync(admin, $"cookie-{Guid.NewGuid():N}");
        var (keyId, key) = await TenantApi.CreateKeyAsync(admin, tenant, "read", "write");
        var upload = await factory.CreateClient(key).PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(TestMedia.ToneWav()));
        var mediaId = (await upload.ReadSuccessAsync()).GetProperty("id").GetGuid();
        var cookieOnly = factory.CreateAnonymousClient();
        cookieOnly.DefaultRequestHeaders.Add("Cookie", $"mp_session={key}");
        Assert.Equal(HttpStatusCode.OK, (await cookieOnly.GetAsync(new Uri($"/api/v1/media/{mediaId}/content", UriKind.Relative))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri($"/api/v1/tenants/{tenant}/keys/{keyId}", UriKind.Relative))).StatusCode);

        var refused = await cookieOnly.GetAsync(new Uri($"/api/v1/media/{mediaId}/content", UriKind.Relative));
        var problem = await refused.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("auth.invalid_key", problem.GetProperty("code").GetString());
    }
}
