using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MediaPlatform.Infrastructure.Persistence;

/// <summary>The one place that says how the DbContext talks to PostgreSQL; the service, the tools and the tests all use it.</summary>
public static class PersistenceSetup
{
    public const string MigrationsHistoryTable = "__ef_migrations_history";

    /// <summary>Applies the pool and timeout settings of <paramref name="options"/> to a connection string.</summary>
    public static string BuildConnectionString(DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            MaxPoolSize = options.MaxPoolSize,
            MinPoolSize = options.MinPoolSize,
            Timeout = options.ConnectionTimeoutSeconds,
            CommandTimeout = options.CommandTimeoutSeconds,
            MaxAutoPrepare = options.MaxAutoPrepare,
            NoResetOnClose = !options.ResetOnClose,
        };
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "mediaplatform";
        }

        return builder.ConnectionString;
    }

    public static void Configure(DbContextOptionsBuilder builder, NpgsqlDataSource dataSource, DatabaseOptions options) =>
        builder
            .UseNpgsql(dataSource, npgsql => ConfigureNpgsql(npgsql, options))
            .UseSnakeCaseNamingConvention()
            .ConfigureWarnings(StrictModel);

    public static void Configure(DbContextOptionsBuilder builder, string connectionString, DatabaseOptions options) =>
        builder
            .UseNpgsql(connectionString, npgsql => ConfigureNpgsql(npgsql, options))
            .UseSnakeCaseNamingConvention()
            .ConfigureWarnings(StrictModel);

    /// <summary>
    /// Model mistakes that EF Core only warns about are errors here (every test builds the model, so they fail the
    /// suite): a collection mapped through a converter without a comparer would miss changes made in place.
    /// </summary>
    private static void StrictModel(Microsoft.EntityFrameworkCore.Diagnostics.WarningsConfigurationBuilder warnings) =>
        warnings.Throw(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.CollectionWithoutComparer);

    private static void ConfigureNpgsql(Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder npgsql, DatabaseOptions options)
    {
        npgsql.MigrationsAssembly(typeof(PersistenceSetup).Assembly.GetName().Name);
        npgsql.MigrationsHistoryTable(MigrationsHistoryTable);
        npgsql.CommandTimeout(options.CommandTimeoutSeconds);
        if (options.MaxRetryCount > 0)
        {
            npgsql.EnableRetryOnFailure(options.MaxRetryCount, TimeSpan.FromSeconds(options.MaxRetryDelaySeconds), errorCodesToAdd: null);
        }
    }
}
