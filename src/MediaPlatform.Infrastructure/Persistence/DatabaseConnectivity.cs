using System.Diagnostics;
using Npgsql;

namespace MediaPlatform.Infrastructure.Persistence;

/// <summary>The connection layer's own check: open a pooled connection and run <c>SELECT 1</c>.</summary>
public sealed class DatabaseConnectivity(NpgsqlDataSource dataSource)
{
    public async Task<ConnectivityReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var target = $"{builder.Host}:{builder.Port}/{builder.Database}";
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            await using var version = dataSource.CreateCommand("SHOW server_version");
            var serverVersion = (string?)await version.ExecuteScalarAsync(cancellationToken);
            return new ConnectivityReport(true, target, stopwatch.Elapsed, serverVersion, null);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return new ConnectivityReport(false, target, stopwatch.Elapsed, null, Describe(ex));
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        PostgresException pg => $"{pg.SqlState}: {pg.MessageText}",
        NpgsqlException { InnerException: { } inner } => $"{ex.Message} ({inner.Message})",
        _ => ex.Message,
    };
}
