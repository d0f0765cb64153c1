using MediaPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace MediaPlatform.TestSupport.Postgres;

/// <summary>
/// Class fixture: a database of its own for each test class, cloned from the migrated template, dropped afterwards.
/// Tests in the class share it, so they create their own rows rather than expect an empty table.
/// </summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public string ConnectionString { get; private set; } = string.Empty;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialised.");

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.SharedAsync();
        ConnectionString = await _server.CreateMigratedDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DropDatabaseAsync(ConnectionString);
        }
    }

    /// <summary>A new DbContext configured exactly as the service configures it.</summary>
    public MediaPlatformDbContext CreateDbContext() => CreateDbContext(ConnectionString);

    public static MediaPlatformDbContext CreateDbContext(string connectionString)
    {
        var options = new DbContextOptionsBuilder<MediaPlatformDbContext>();
        PersistenceSetup.Configure(options, connectionString, new DatabaseOptions { ConnectionString = connectionString });
        return new MediaPlatformDbContext(options.Options);
    }
}
