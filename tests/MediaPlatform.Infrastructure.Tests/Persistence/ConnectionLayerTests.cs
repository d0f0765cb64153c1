using MediaPlatform.Infrastructure.Persistence;
using MediaPlatform.Infrastructure.Persistence.Tooling;
using MediaPlatform.TestSupport.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MediaPlatform.Infrastructure.Tests.Persistence;

public sealed class ConnectionLayerTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task The_connectivity_check_reports_a_reachable_database_as_healthy()
    {
        await using var provider = Services(fixture.ConnectionString);

        var report = await provider.GetRequiredService<DatabaseConnectivity>().CheckAsync();

        Assert.True(report.IsHealthy, report.Error);
        Assert.StartsWith("15", report.ServerVersion ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connectivity_check_reports_an_unreachable_database_with_a_reason()
    {
        await using var provider = Services("Host=127.0.0.1;Port=1;Database=nowhere;Username=postgres", ("Database:ConnectionTimeoutSeconds", "2"));

        var report = await provider.GetRequiredService<DatabaseConnectivity>().CheckAsync();

        Assert.False(report.IsHealthy);
        Assert.Equal("127.0.0.1:1/nowhere", report.Target);
        Assert.False(string.IsNullOrWhiteSpace(report.Error));
    }

    [Fact]
    public async Task Pool_size_and_timeouts_come_from_configuration()
    {
        await using var provider = Services(fixture.ConnectionString, ("Database:MaxPoolSize", "7"), ("Database:CommandTimeoutSeconds", "11"));

        var builder = new NpgsqlConnectionStringBuilder(provider.GetRequiredService<NpgsqlDataSource>().ConnectionString);

        Assert.Equal(7, builder.MaxPoolSize);
        Assert.Equal(11, builder.CommandTimeout);
    }

    [Fact]
    public async Task Hot_statements_are_prepared_on_the_server_and_a_connection_back_from_the_pool_is_not_reset()
    {
        await using var provider = Services(fixture.ConnectionString, ("Database:MaxPoolSize", "1"));
        var dataSource = provider.GetRequiredService<NpgsqlDataSource>();

        // Each use takes the pool's only connection and gives it back, as every request does.
        for (var use = 0; use < 8; use++)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM job WHERE status = 'queued'", connection);
            await command.ExecuteScalarAsync();
            if (use == 0)
            {
                await using var mark = new NpgsqlCommand("SET mediaplatform.test_mark = 'kept'", connection);
                await mark.ExecuteNonQueryAsync();
            }
        }

        await using var again = await dataSource.OpenConnectionAsync();
        await using var prepared = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%job WHERE status%'", again);
        Assert.Equal(1L, await prepared.ExecuteScalarAsync());
        // No reset (DISCARD ALL, or RESET ALL and friends) ran between the uses: the session setting is still there.
        await using var mark2 = new NpgsqlCommand("SELECT current_setting('mediaplatform.test_mark', true)", again);
        Assert.Equal("kept", await mark2.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Auto_preparing_and_the_reset_on_close_come_from_configuration()
    {
        await using var defaults = Services(fixture.ConnectionString);
        await using var configured = Services(fixture.ConnectionString, ("Database:MaxAutoPrepare", "0"), ("Database:ResetOnClose", "true"));

        var byDefault = new NpgsqlConnectionStringBuilder(defaults.GetRequiredService<NpgsqlDataSource>().ConnectionString);
        var turnedOff = new NpgsqlConnectionStringBuilder(configured.GetRequiredService<NpgsqlDataSource>().ConnectionString);

        Assert.Equal((64, true), (byDefault.MaxAutoPrepare, byDefault.NoResetOnClose));
        Assert.Equal((0, false), (turnedOff.MaxAutoPrepare, turnedOff.NoResetOnClose));
    }

    [Theory]
    [InlineData("Database:MaxAutoPrepare", "-1", "MaxAutoPrepare")]
    [InlineData("Database:MaxPoolSize", "0", "MaxPoolSize")]
    [InlineData("Database:MinPoolSize", "900", "larger than Database:MaxPoolSize")]
    [InlineData("Database:ConnectionString", "Host=;Nonsense", "ConnectionString")]
    public async Task Bad_database_configuration_fails_at_start_with_a_clear_message(string key, string value, string expected)
    {
        await using var provider = Services(fixture.ConnectionString, (key, value));

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DatabaseOptions>>().Value);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_reports_the_four_tables()
    {
        await using var provider = Services(fixture.ConnectionString);
        await using var scope = provider.CreateAsyncScope();
        var output = new StringWriter();

        var exit = await scope.ServiceProvider.GetRequiredService<DatabaseTool>().RunAsync(["verify"], output);

        Assert.Equal(0, exit);
        foreach (var table in DatabaseTool.ExpectedSchema.Keys)
        {
            Assert.Contains($"table {table} ok", output.ToString(), StringComparison.Ordinal);
        }

        Assert.Contains("0 pending", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_takes_a_backup_first_and_rollback_to_zero_empties_the_database()
    {
        var connectionString = await fixture.Server.CreateEmptyDatabaseAsync();
        var backups = Directory.CreateTempSubdirectory("mp-backups-");
        try
        {
            await using var provider = Services(connectionString, ("Database:BackupDirectory", backups.FullName));
            await using var scope = provider.CreateAsyncScope();
            var tool = scope.ServiceProvider.GetRequiredService<DatabaseTool>();
            var output = new StringWriter();

            Assert.Equal(0, await tool.RunAsync(["migrate"], output));
            Assert.Equal(0, await tool.RunAsync(["migrate"], output));
            Assert.Equal(0, await tool.RunAsync(["rollback", "0"], output));

            Assert.Contains("migrate: applied", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("migrate: the database is up to date.", output.ToString(), StringComparison.Ordinal);
            Assert.NotEmpty(backups.GetFiles("*.dump"));
            Assert.All(backups.GetFiles("*.dump"), f => Assert.True(f.Length > 0));
            Assert.Equal(["__ef_migrations_history"], await SchemaSnapshot.TablesAsync(connectionString));
        }
        finally
        {
            backups.Delete(recursive: true);
            await fixture.Server.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task Migrate_backs_up_only_when_something_is_pending_and_keeps_the_newest_dumps_private()
    {
        var connectionString = await fixture.Server.CreateEmptyDatabaseAsync();
        var backups = Directory.CreateTempSubdirectory("mp-backups-");
        try
        {
            await using var provider = Services(connectionString, ("Database:BackupDirectory", backups.FullName), ("Database:BackupsToKeep", "3"));
            await using var scope = provider.CreateAsyncScope();
            var tool = scope.ServiceProvider.GetRequiredService<DatabaseTool>();
            var output = new StringWriter();

            Assert.Equal(0, await tool.RunAsync(["migrate"], output));
            Assert.Single(backups.GetFiles("*.dump"));
            Assert.Equal(0, await tool.RunAsync(["migrate"], output)); // nothing pending: no dump
            Assert.Single(backups.GetFiles("*.dump"));
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(0, await tool.RunAsync(["backup"], output));
            }

            var dumps = backups.GetFiles("*.dump");
            Assert.Equal(3, dumps.Length);
            if (!OperatingSystem.IsWindows())
            {
                foreach (var dump in dumps)
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dump.FullName));
                }
            }
        }
        finally
        {
            backups.Delete(recursive: true);
            await fixture.Server.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public async Task The_tool_explains_an_unreachable_database()
    {
        await using var provider = Services("Host=127.0.0.1;Port=1;Database=nowhere;Username=postgres", ("Database:ConnectionTimeoutSeconds", "2"), ("Database:MaxRetryCount", "0"));
        await using var scope = provider.CreateAsyncScope();
        var output = new StringWriter();

        var exit = await scope.ServiceProvider.GetRequiredService<DatabaseTool>().RunAsync(["verify"], output);

        Assert.Equal(2, exit);
        Assert.Contains("cannot reach 127.0.0.1:1/nowhere", output.ToString(), StringComparison.Ordinal);
    }

    private static ServiceProvider Services(string connectionString, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["Database:ConnectionString"] = connectionString };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection().AddLogging().AddInfrastructure(configuration).BuildServiceProvider();
    }
}
