using MediaPlatform.Infrastructure.Persistence;
using MediaPlatform.TestSupport.Postgres;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace MediaPlatform.Api.Tests.Infrastructure;

/// <summary>The real service in memory over a real PostgreSQL database of this test class.</summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The bootstrap admin key (scopes admin, read, write of tenant default) every client of this factory sends.</summary>
    public static readonly string AdminKey = "mp_live_" + new string('T', 39) + "test";

    private readonly PostgresDatabaseFixture _database = new();
    private readonly DirectoryInfo _blobs = Directory.CreateTempSubdirectory("mp-blobs-");

    public string ConnectionString => _database.ConnectionString;

    /// <summary>The blob store folder of this factory's service.</summary>
    public string BlobRoot => _blobs.FullName;

    public MediaPlatformDbContext CreateDbContext() => _database.CreateDbContext();

    public virtual Task InitializeAsync() => _database.InitializeAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _database.DisposeAsync();
        _blobs.Delete(recursive: true);
        await DisposeDependenciesAsync();
    }

    /// <summary>Stops what a derived factory started for its service (an S3 server).</summary>
    protected virtual Task DisposeDependenciesAsync() => Task.CompletedTask;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = _database.ConnectionString,
            ["Storage:RootPath"] = _blobs.FullName,
            // The HTTP tests assert what the API stores; workers would change it under them. ProcessingFactory turns them on.
            ["Queue:WorkerCount"] = "0",
            ["Auth:BootstrapKey"] = AdminKey,
            // Without workers a job never ends: the OpenAI-compatible endpoint answers 202 with the job's location soon.
            ["OpenAiApi:WaitSeconds"] = "2",
        };
        foreach (var (key, value) in Settings())
        {
            settings[key] = value;
        }

        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
    }

    /// <summary>A client without any key, for the authentication tests.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    /// <summary>A client that sends <paramref name="key"/>.</summary>
    public HttpClient CreateClient(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Every client of the factory acts for tenant default with the bootstrap admin key unless told otherwise.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
    }

    /// <summary>Settings a derived factory adds or overrides.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];
}
