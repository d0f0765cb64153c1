using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MediaPlatform.Infrastructure.Persistence.Tooling;

/// <summary>
/// The seed's rollback points as commands: <c>backup</c> (pg_dump), <c>migrate</c> (backup, then apply migrations),
/// <c>verify</c> (connect and check the schema), <c>rollback</c> (to a named migration, or drop everything).
/// Every command returns a process exit code and explains failures in words.
/// </summary>
public sealed class DatabaseTool(
    MediaPlatformDbContext db,
    DatabaseConnectivity connectivity,
    IOptions<DatabaseOptions> options,
    TimeProvider time)
{
    /// <summary>The tables of the seed and the columns every later feature relies on.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ExpectedSchema = new Dictionary<string, string[]>
    {
        ["media_asset"] = ["id", "tenant_id", "source", "status", "storage_key", "content_type", "size_bytes", "sha256", "duration", "created_at", "xmin"],
        ["job"] = ["id", "tenant_id", "media_asset_id", "kind", "status", "options", "priority", "progress", "attempts", "max_attempts", "run_after", "lease_owner", "lease_expires_at", "created_at", "updated_at", "xmin"],
        ["transcription"] = ["id", "tenant_id", "job_id", "media_asset_id", "language", "engine", "text", "segments", "confidence", "word_count", "created_at", "xmin"],
        ["analysis_result"] = ["id", "tenant_id", "job_id", "transcription_id", "kind", "payload", "score", "created_at", "xmin"],
        ["tenant"] = ["id", "name", "requests_per_minute", "max_concurrent_jobs", "max_queued_jobs", "storage_bytes", "max_media_seconds", "retention_days", "created_at", "xmin"],
        ["api_key"] = ["id", "tenant_id", "name", "prefix", "hash", "scopes", "expires_at", "revoked_at", "last_used_at", "created_at", "xmin"],
    };

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        try
        {
            return args switch
            {
                ["backup", ..] => await BackupAsync(output, cancellationToken) is null ? 1 : 0,
                ["migrate", ..] => await MigrateAsync(output, cancellationToken),
                ["verify", ..] => await VerifyAsync(output, cancellationToken),
                ["rollback", "--drop"] => await DropAsync(output, cancellationToken),
                ["rollback", var target] => await RollbackAsync(target, output, cancellationToken),
                _ => Usage(output),
            };
        }
        catch (NpgsqlException ex)
        {
            await output.WriteLineAsync($"error: cannot reach the database ({Describe(ex)}). Is PostgreSQL running, and is Database:ConnectionString right?");
            return 2;
        }
    }

    /// <summary>pg_dump in custom format to a timestamped file; returns its path, or null when it failed.</summary>
    public async Task<string?> BackupAsync(TextWriter output, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.Value.ConnectionString);
        if (!await DatabaseExistsAsync(builder, cancellationToken))
        {
            await output.WriteLineAsync($"backup: database '{builder.Database}' does not exist yet; nothing to back up.");
            return string.Empty;
        }

        var pgDump = PostgresBinaries.Find("pg_dump");
        if (pgDump is null)
        {
            await output.WriteLineAsync("error: pg_dump was not found (install postgresql-client, or set MEDIAPLATFORM_PG_BINDIR).");
            return null;
        }

        var directory = Path.GetFullPath(options.Value.BackupDirectory);
        Directory.CreateDirectory(directory);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        var file = Path.Combine(directory, $"{builder.Database}-{stamp}.dump");
        // A dump holds every row: readable by this user only. pg_dump keeps the mode of the file it overwrites.
        await Storage.PrivateFile.Create(file).DisposeAsync();

        var start = new ProcessStartInfo(pgDump)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            ArgumentList = { "--format=custom", "--no-owner", "--file", file },
        };
        start.Environment["PGHOST"] = builder.Host;
        start.Environment["PGPORT"] = builder.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PGDATABASE"] = builder.Database;
        start.Environment["PGUSER"] = builder.Username;
        if (!string.IsNullOrEmpty(builder.Password))
        {
            start.Environment["PGPASSWORD"] = builder.Password;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("pg_dump did not start.");
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(options.Value.BackupTimeoutSeconds));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await output.WriteLineAsync($"error: pg_dump did not finish within {options.Value.BackupTimeoutSeconds} s (Database:BackupTimeoutSeconds).");
            File.Delete(file);
            return null;
        }

        if (process.ExitCode != 0)
        {
            await output.WriteLineAsync($"error: pg_dump failed ({process.ExitCode}): {(await stderr).Trim()}");
            File.Delete(file);
            return null;
        }

        await output.WriteLineAsync($"backup: {file} ({new FileInfo(file).Length} bytes)");
        foreach (var old in Directory.GetFiles(directory, $"{builder.Database}-*.dump").Order(StringComparer.Ordinal).Reverse().Skip(options.Value.BackupsToKeep))
        {
            File.Delete(old);
            await output.WriteLineAsync($"backup: removed the old dump {Path.GetFileName(old)} (Database:BackupsToKeep = {options.Value.BackupsToKeep})");
        }

        return file;
    }

    /// <summary>Applies pending migrations after a backup; with nothing pending it neither backs up nor changes anything.</summary>
    public async Task<int> MigrateAsync(TextWriter output, CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            await output.WriteLineAsync("migrate: the database is up to date.");
            return 0;
        }

        if (await BackupAsync(output, cancellationToken) is null)
        {
            await output.WriteLineAsync("migrate: refused, because the backup before migrating failed.");
            return 1;
        }

        await db.Database.MigrateAsync(cancellationToken);
        foreach (var migration in pending)
        {
            await output.WriteLineAsync($"migrate: applied {migration}");
        }

        return 0;
    }

    public async Task<int> VerifyAsync(TextWriter output, CancellationToken cancellationToken = default)
    {
        var report = await connectivity.CheckAsync(cancellationToken);
        if (!report.IsHealthy)
        {
            await output.WriteLineAsync($"verify: cannot reach {report.Target}: {report.Error}");
            return 2;
        }

        await output.WriteLineAsync($"verify: connected to {report.Target} (PostgreSQL {report.ServerVersion}) in {report.Elapsed.TotalMilliseconds:F0} ms");
        var found = await ReadColumnsAsync(cancellationToken);
        var ok = true;
        foreach (var (table, columns) in ExpectedSchema)
        {
            if (!found.TryGetValue(table, out var actual))
            {
                await output.WriteLineAsync($"verify: MISSING table {table}");
                ok = false;
                continue;
            }

            var missing = columns.Where(c => !actual.Contains(c)).ToList();
            await output.WriteLineAsync(missing.Count == 0
                ? $"verify: table {table} ok ({actual.Count - 1} columns)"
                : $"verify: table {table} is MISSING columns {string.Join(", ", missing)}");
            ok &= missing.Count == 0;
        }

        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await output.WriteLineAsync($"verify: {applied.Count} migrations applied (latest {applied.LastOrDefault() ?? "none"}), {pending.Count} pending");
        await output.WriteLineAsync(ok ? "verify: OK" : "verify: FAILED");
        return ok ? 0 : 1;
    }

    public async Task<int> RollbackAsync(string target, TextWriter output, CancellationToken cancellationToken = default)
    {
        var known = db.Database.GetMigrations().ToList();
        if (target != "0" && !known.Any(m => m == target || m.EndsWith("_" + target, StringComparison.Ordinal)))
        {
            await output.WriteLineAsync($"rollback: unknown migration '{target}'. Known: {string.Join(", ", known)}; or 0 for none, or --drop.");
            return 1;
        }

        if (await BackupAsync(output, cancellationToken) is null)
        {
            return 1;
        }

        await db.GetService<IMigrator>().MigrateAsync(target, cancellationToken);
        await output.WriteLineAsync($"rollback: database is now at migration {target}");
        return 0;
    }

    /// <summary>Runs build/sql/rollback.sql (embedded in this assembly) after a backup: the post-schema rollback point.</summary>
    public async Task<int> DropAsync(TextWriter output, CancellationToken cancellationToken = default)
    {
        if (await BackupAsync(output, cancellationToken) is null)
        {
            return 1;
        }

        await db.Database.ExecuteSqlRawAsync(RollbackScript.Sql, cancellationToken);
        await output.WriteLineAsync("rollback: dropped every MediaPlatform table (rollback.sql)");
        return 0;
    }

    private async Task<Dictionary<string, HashSet<string>>> ReadColumnsAsync(CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT c.relname, a.attname
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT a.attisdropped
                  AND (a.attnum > 0 OR a.attname = 'xmin') AND c.relname = ANY(@tables)
                """,
                connection);
            command.Parameters.AddWithValue("tables", ExpectedSchema.Keys.ToArray());
            var result = new Dictionary<string, HashSet<string>>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var table = reader.GetString(0);
                if (!result.TryGetValue(table, out var columns))
                {
                    result[table] = columns = [];
                }

                columns.Add(reader.GetString(1));
            }

            return result;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<bool> DatabaseExistsAsync(NpgsqlConnectionStringBuilder target, CancellationToken cancellationToken)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", target.Database ?? string.Empty);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static int Usage(TextWriter output)
    {
        output.WriteLine("usage: db backup | db migrate | db verify | db rollback <migration|0> | db rollback --drop");
        return 64;
    }

    /// <summary>What went wrong reaching or using the database, in one line (the offline commands print it).</summary>
    public static string Describe(NpgsqlException ex) => ex switch
    {
        PostgresException pg => $"{pg.SqlState}: {pg.MessageText}",
        { InnerException: { } inner } => $"{ex.Message} {inner.Message}",
        _ => ex.Message,
    };
}
