using MediaPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Testcontainers.PostgreSql;

namespace MediaPlatform.TestSupport.Postgres;

/// <summary>
/// The PostgreSQL server of one test process, found in this order: <c>MEDIAPLATFORM_TEST_DB</c> (a connection string
/// to a server where the tests may create databases); else a Testcontainers container when a Docker engine answers;
/// else a throwaway local cluster. It holds a migrated template database, so each test class gets a fresh
/// database by cloning it (milliseconds) instead of running migrations again.
/// </summary>
public sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> _shared = new(StartAsync);
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private readonly string _adminConnectionString;
    private readonly string _templateName;

    private PostgresServer(string adminConnectionString, string kind)
    {
        _adminConnectionString = adminConnectionString;
        Kind = kind;
        _templateName = $"mp_template_{Environment.ProcessId}_{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>Where the server came from: <c>MEDIAPLATFORM_TEST_DB</c>, <c>testcontainers</c> or <c>local-cluster</c>.</summary>
    public string Kind { get; }

    /// <summary>The server of this test process, started on first use and stopped when the process exits.</summary>
    public static Task<PostgresServer> SharedAsync() => _shared.Value;

    /// <summary>A new database cloned from the migrated template.</summary>
    public Task<string> CreateMigratedDatabaseAsync(CancellationToken cancellationToken = default) =>
        CreateDatabaseAsync(_templateName, cancellationToken);

    /// <summary>A new database with no schema at all, for migration tests.</summary>
    public Task<string> CreateEmptyDatabaseAsync(CancellationToken cancellationToken = default) =>
        CreateDatabaseAsync("template0", cancellationToken);

    public async Task DropDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", cancellationToken);
    }

    /// <summary>A connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = database, Pooling = true }.ConnectionString;

    private static async Task<PostgresServer> StartAsync()
    {
        PostgresServer server;
        if (Environment.GetEnvironmentVariable("MEDIAPLATFORM_TEST_DB") is { Length: > 0 } configured)
        {
            server = new PostgresServer(new NpgsqlConnectionStringBuilder(configured) { Pooling = false }.ConnectionString, "MEDIAPLATFORM_TEST_DB");
        }
        else if (await DockerEngine.AnswersAsync())
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await container.StartAsync();
            server = new PostgresServer(
                new NpgsqlConnectionStringBuilder(container.GetConnectionString()) { Database = "postgres", Pooling = false }.ConnectionString,
                "testcontainers");
        }
        else
        {
            var cluster = LocalPostgresCluster.Start();
            server = new PostgresServer(cluster.AdminConnectionString, "local-cluster");
        }

        await server.CreateTemplateAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DropTemplate();
        return server;
    }

    private async Task CreateTemplateAsync()
    {
        await ExecuteAdminAsync($"CREATE DATABASE \"{_templateName}\"", CancellationToken.None);
        var options = new DbContextOptionsBuilder<MediaPlatformDbContext>();
        var connectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = _templateName, Pooling = false }.ConnectionString;
        PersistenceSetup.Configure(options, connectionString, new DatabaseOptions { ConnectionString = connectionString });
        await using var db = new MediaPlatformDbContext(options.Options);
        await db.Database.MigrateAsync();
    }

    private void DropTemplate()
    {
        try
        {
            ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{_templateName}\" WITH (FORCE)", CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (NpgsqlException)
        {
            // The server is already gone (a throwaway cluster is stopped on exit as well).
        }
    }

    private async Task<string> CreateDatabaseAsync(string template, CancellationToken cancellationToken)
    {
        var name = $"mp_test_{Guid.NewGuid():N}";
        // Cloning needs the template free of other sessions; serialise clones within this process.
        await _createLock.WaitAsync(cancellationToken);
        try
        {
            await ExecuteAdminAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", cancellationToken);
        }
        finally
        {
            _createLock.Release();
        }

        return ConnectionStringFor(name);
    }

    private async Task ExecuteAdminAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
