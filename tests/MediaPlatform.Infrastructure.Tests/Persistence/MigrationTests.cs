using MediaPlatform.Infrastructure.Persistence.Tooling;
using MediaPlatform.TestSupport;
using MediaPlatform.TestSupport.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace MediaPlatform.Infrastructure.Tests.Persistence;

/// <summary>Each test works on an empty database of its own, created from template0.</summary>
public sealed class MigrationTests : IAsyncLifetime
{
    private PostgresServer _server = null!;
    private string _connectionString = string.Empty;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.SharedAsync();
        _connectionString = await _server.CreateEmptyDatabaseAsync();
    }

    public Task DisposeAsync() => _server.DropDatabaseAsync(_connectionString);

    [Fact]
    public async Task Migrating_up_down_and_up_again_leaves_the_same_schema()
    {
        await using var db = PostgresDatabaseFixture.CreateDbContext(_connectionString);
        var migrator = db.GetService<IMigrator>();

        await migrator.MigrateAsync();
        var first = await SchemaSnapshot.TakeAsync(_connectionString);
        await migrator.MigrateAsync(Migration.InitialDatabase);
        var afterDown = await SchemaSnapshot.TablesAsync(_connectionString);
        await migrator.MigrateAsync();
        var second = await SchemaSnapshot.TakeAsync(_connectionString);

        Assert.Equal(["__ef_migrations_history"], afterDown);
        Assert.Contains("job.status text NO", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task The_schema_script_builds_the_same_schema_as_the_migrations_and_can_run_twice()
    {
        var script = await File.ReadAllTextAsync(RepositoryRoot.File("build", "sql", "schema.sql"));
        var migrated = await _server.CreateMigratedDatabaseAsync();
        try
        {
            await ExecuteAsync(_connectionString, script);
            await ExecuteAsync(_connectionString, script);

            Assert.Equal(await SchemaSnapshot.TakeAsync(migrated), await SchemaSnapshot.TakeAsync(_connectionString));
        }
        finally
        {
            await _server.DropDatabaseAsync(migrated);
        }
    }

    [Fact]
    public async Task The_rollback_script_drops_every_table_and_the_schema_script_restores_them()
    {
        await using (var db = PostgresDatabaseFixture.CreateDbContext(_connectionString))
        {
            await db.Database.MigrateAsync();
        }

        await ExecuteAsync(_connectionString, RollbackScript.Sql);
        Assert.Empty(await SchemaSnapshot.TablesAsync(_connectionString));

        await ExecuteAsync(_connectionString, await File.ReadAllTextAsync(RepositoryRoot.File("build", "sql", "schema.sql")));
        Assert.Equal(15, (await SchemaSnapshot.TablesAsync(_connectionString)).Count);
    }

    [Fact]
    public async Task The_embedded_rollback_script_is_the_committed_one()
    {
        var committed = await File.ReadAllTextAsync(RepositoryRoot.File("build", "sql", "rollback.sql"));

        Assert.Equal(committed, RollbackScript.Sql);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
