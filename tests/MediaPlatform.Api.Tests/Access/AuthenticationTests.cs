using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MediaPlatform.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace MediaPlatform.Api.Tests.Access;

public sealed class AuthenticationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    public static TheoryData<string> MalformedAuthorizationHeaders => new()
    {
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer ",
        "bearer mp_live_short",
        "Bearer mp_test_" + new string('a', 43),
        "Bearer mp_live_" + new string('a', 42),
        "Bearer mp_live_" + new string('a', 44),
        "Bearer mp_live_" + new string('a', 42) + "-",
        "Bearer mp_live_" + new string('é', 43),
        "Bearer mp_live_" + new string('a', 20000),
        "Bearer " + ApiFactory.AdminKey + " extra",
        "Token " + ApiFactory.AdminKey,
    };

    [Theory]
    [MemberData(nameof(MalformedAuthorizationHeaders))]
    public async Task A_malformed_authorization_header_is_401_problem_never_500(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        var response = await factory.CreateAnonymousClient().SendAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("auth.invalid_key", problem.GetProperty("code").GetString());
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_well_formed_key_is_401()
    {
        var response = await factory.CreateClient("mp_live_" + new string('Z', 43)).GetAsync(new Uri("/api/v1/media", UriKind.Relative));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("unknown, revoked or expired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_key_is_401_that_says_how_to_send_one()
    {
        var response = await factory.CreateAnonymousClient().GetAsync(new Uri("/api/v1/jobs", UriKind.Relative));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("auth.missing_key", problem.GetProperty("code").GetString());
        Assert.Contains("Authorization: Bearer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_on_the_very_next_request()
    {
        var admin = factory.CreateClient();
        var (id, key) = await TenantApi.CreateKeyAsync(admin, Domain.Tenants.TenantId.Default.Value, "read");
        var client = factory.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/jobs", UriKind.Relative))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(new Uri($"/api/v1/tenants/{Domain.Tenants.TenantId.Default}/keys/{id}", UriKind.Relative))).StatusCode);

        await (await client.GetAsync(new Uri("/api/v1/jobs", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_expired_key_is_401()
    {
        var (id, key) = await TenantApi.CreateKeyAsync(factory.CreateClient(), Domain.Tenants.TenantId.Default.Value, "read");
        await using (var db = factory.CreateDbContext())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE api_key SET expires_at = now() - interval '1 second' WHERE id = {id}");
        }

        await Task.Delay(TimeSpan.FromSeconds(2.2)); // past the authenticator's cache of a few seconds at most

        await (await factory.CreateClient(key).GetAsync(new Uri("/api/v1/jobs", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/docs")]
    public async Task Health_and_the_api_description_stay_open(string url)
    {
        var response = await factory.CreateAnonymousClient().GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_bearer_scheme_and_the_scope_of_each_operation()
    {
        var document = JsonDocument.Parse(await factory.CreateAnonymousClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement;

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var submit = document.GetProperty("paths").GetProperty("/api/v1/jobs").GetProperty("post");
        Assert.Equal("write", submit.GetProperty("security")[0].GetProperty("Bearer")[0].GetString());
        Assert.True(submit.GetProperty("responses").TryGetProperty("401", out _));
        Assert.True(submit.GetProperty("responses").TryGetProperty("403", out _));
        var createTenant = document.GetProperty("paths").GetProperty("/api/v1/tenants").GetProperty("post");
        Assert.Equal("admin", createTenant.GetProperty("security")[0].GetProperty("Bearer")[0].GetString());
        var me = document.GetProperty("paths").GetProperty("/api/v1/me").GetProperty("get");
        Assert.Equal(0, me.GetProperty("security")[0].GetProperty("Bearer").GetArrayLength());
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/")] // the dashboard's page too
    [InlineData("/api/v1/jobs")]
    [InlineData("/health/live", "localhost:abc")]
    [InlineData("/health/live", "evil:abc")]
    public async Task A_request_for_another_host_is_refused_with_a_problem_that_names_the_setting(string path, string host = "attacker.example:8080")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Host", host);

        var response = await factory.CreateClient().SendAsync(request);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("request.host_not_allowed", problem.GetProperty("code").GetString());
        Assert.Contains("AllowedHosts", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.TryGetProperty("errors", out _), "every 400 has the one shape: code and errors");
    }

    [Fact]
    public async Task AllowedHosts_set_to_a_star_answers_any_host()
    {
        await using var open = factory.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AllowedHosts"] = "*",
        })));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Host = "media.example.com";

        var response = await open.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:8080")] // the port does not matter
    [InlineData("[::1]:8080")]
    public async Task A_request_for_an_allowed_host_is_answered(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Host = host;

        var response = await factory.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Cross_origin_requests_get_no_cors_headers_unless_origins_are_configured()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/jobs");
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");

        var response = await factory.CreateAnonymousClient().SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_configured_origin_is_allowed_and_others_are_not()
    {
        await using var configured = factory.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cors:AllowedOrigins:0"] = "https://app.example",
        })));
        var client = configured.CreateClient();

        var allowed = await client.SendAsync(Preflight("https://app.example"));
        var refused = await client.SendAsync(Preflight("https://evil.example"));

        Assert.Equal("https://app.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/jobs");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");
        return request;
    }
}

/// <summary>A database without keys and no configured key: the first start writes one to the key file, mode 600.</summary>
public sealed class BootstrapKeyTests : IAsyncLifetime
{
    private readonly BootstrapFactory _factory = new();

    public Task InitializeAsync() => ((IAsyncLifetime)_factory).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_factory).DisposeAsync();

    [Fact]
    public async Task The_first_start_writes_a_working_admin_key_readable_only_by_its_owner()
    {
        _ = _factory.CreateAnonymousClient(); // starts the service

        Assert.True(File.Exists(_factory.KeyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_factory.KeyFile));
        }

        var key = (await File.ReadAllTextAsync(_factory.KeyFile)).Trim();
        var me = await _factory.CreateClient(key).JsonAsync("/api/v1/me");
        Assert.Equal("default", me.GetProperty("tenant").GetProperty("name").GetString());
        // Every scope, pii included (reading what redaction hid is the operator's to give away).
        Assert.Equal(["admin", "pii", "read", "write"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).Order());
        await using var db = _factory.CreateDbContext();
        var stored = await db.ApiKeys.SingleAsync();
        Assert.Equal(key[..12], stored.Prefix);
        Assert.DoesNotContain(key, Convert.ToHexString(stored.Hash), StringComparison.OrdinalIgnoreCase);
    }

    private sealed class BootstrapFactory : ApiFactory
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("mp-keys-").FullName;

        public string KeyFile => Path.Combine(_folder, "admin.key");

        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
            new Dictionary<string, string?> { ["Auth:BootstrapKey"] = string.Empty, ["Auth:KeyFile"] = KeyFile };

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing && Directory.Exists(_folder))
            {
                Directory.Delete(_folder, recursive: true);
            }
        }
    }
}

/// <summary>The offline key commands of the service binary.</summary>
public sealed class KeysCommandTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Keys_created_listed_and_revoked_offline_work_against_the_api()
    {
        var created = await RunAsync("keys", "create", "--tenant", "offline-team", "--scopes", "read,write", "--name", "ci");
        Assert.Equal(0, created.Code);
        var key = created.Output.Trim();
        var me = await factory.CreateClient(key).JsonAsync("/api/v1/me");
        Assert.Equal("offline-team", me.GetProperty("tenant").GetProperty("name").GetString());

        var listed = await RunAsync("keys", "list", "--tenant", "offline-team");
        Assert.Contains(key[..12], listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed.Output, StringComparison.Ordinal);

        var keyId = me.GetProperty("key").GetProperty("id").GetString()!;
        Assert.Equal(0, (await RunAsync("keys", "revoke", keyId)).Code);
        await Task.Delay(TimeSpan.FromSeconds(2.2)); // another process revoked it: within the cache time
        await (await factory.CreateClient(key).GetAsync(new Uri("/api/v1/jobs", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_key_command_without_its_arguments_prints_the_usage()
    {
        var result = await RunAsync("keys", "create", "--tenant");

        Assert.Equal(64, result.Code);
        Assert.Contains("usage: keys create", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_with_an_unknown_scope_is_refused_with_the_scopes_named_not_a_stack_trace()
    {
        var result = await RunAsync("keys", "create", "--tenant", "never-made", "--scopes", "read,bogus");

        Assert.Equal(64, result.Code);
        Assert.Contains("'bogus' is not a scope", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output); // no key was made
        var tenants = await factory.CreateClient().GetStringAsync(new Uri("/api/v1/tenants?limit=100", UriKind.Relative));
        Assert.DoesNotContain("never-made", tenants, StringComparison.Ordinal); // nor a tenant
    }

    [Fact]
    public async Task Listing_keys_without_a_database_says_so_and_exits_2_not_a_stack_trace()
    {
        var port = MediaPlatform.TestSupport.LoopbackPorts.Free(); // nothing listens there

        var result = await RunWithDatabaseAsync($"Host=127.0.0.1;Port={port};Database=mediaplatform;Username=postgres;Password=unused;Timeout=3", "keys", "list");

        Assert.Equal(2, result.Code);
        Assert.Contains("cannot reach the database", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => RunWithDatabaseAsync(factory.ConnectionString, args);

    private static async Task<(int Code, string Output, string Error)> RunWithDatabaseAsync(string connectionString, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
            Environment = { ["Database__ConnectionString"] = connectionString },
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MediaPlatform.Api.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await error);
    }
}
