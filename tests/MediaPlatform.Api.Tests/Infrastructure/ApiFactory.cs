using MediaPlatform.Infrastructure.Persistence;
using MediaPlatform.TestSupport.Postgres;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace MediaPlatform.Api.Tests.Infrastructure;

/// <summary>The real service in memory over a real PostgreSQL database of this test class.</summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly PostgresDatabaseFixture _database = new();
    private readonly DirectoryInfo _blobs = Directory.CreateTempSubdirectory("mp-blobs-");

    public string ConnectionString => _database.ConnectionString;

    /// <summary>The blob store folder of this factory's service.</summary>
    public string BlobRoot => _blobs.FullName;

    public MediaPlatformDbContext CreateDbContext() => _database.CreateDbContext();

    public Task InitializeAsync() => _database.InitializeAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _database.DisposeAsync();
        _blobs.Delete(recursive: true);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = _database.ConnectionString,
            ["Storage:RootPath"] = _blobs.FullName,
            // The HTTP tests assert what the API stores; workers would change it under them. ProcessingFactory turns them on.
            ["Queue:WorkerCount"] = "0",
        };
        foreach (var (key, value) in Settings())
        {
            settings[key] = value;
        }

        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(settings));
    }

    /// <summary>Settings a derived factory adds or overrides.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];
}
