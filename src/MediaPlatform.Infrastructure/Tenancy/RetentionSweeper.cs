using MediaPlatform.Application.Abstractions;
using MediaPlatform.Infrastructure.Reliability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MediaPlatform.Infrastructure.Tenancy;

/// <summary>The <c>Retention</c> section: how often the sweeper looks for expired data.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    [System.ComponentModel.DataAnnotations.Range(1, 86_400)]
    public int SweepSeconds { get; set; } = 300;

    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;
}

/// <summary>
/// Deletes what is older than its tenant's <c>retentionDays</c>: finished jobs with their transcription and analyses
/// (by database cascade), then media no job refers to any more, then its stored bytes. Jobs that are queued or
/// running wait until they finish; media waits for its last job. Works in batches with <c>SKIP LOCKED</c>, so
/// several worker processes can sweep at once.
/// </summary>
public sealed partial class RetentionSweeper(NpgsqlDataSource dataSource, IBlobStore blobs, TimeProvider time, IOptions<RetentionOptions> options, ILogger<RetentionSweeper> logger)
{
    /// <summary>Sweeps until nothing expired is left; returns how many jobs and media were deleted.</summary>
    public async Task<(int Jobs, int Media)> SweepAsync(CancellationToken cancellationToken = default)
    {
        int jobs = 0, media = 0, batch;
        do
        {
            batch = await DeleteExpiredJobsAsync(cancellationToken);
            jobs += batch;
        }
        while (batch == options.Value.BatchSize);

        do
        {
            batch = await DeleteExpiredMediaAsync(cancellationToken);
            media += batch;
        }
        while (batch == options.Value.BatchSize);

        if (jobs + media > 0)
        {
            LogSwept(logger, jobs, media);
        }

        return (jobs, media);
    }

    private async Task<int> DeleteExpiredJobsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH expired AS (
                SELECT j.id FROM job AS j JOIN tenant AS t ON t.id = j.tenant_id
                WHERE t.retention_days IS NOT NULL
                  AND j.status IN ('succeeded', 'failed', 'cancelled')
                  AND j.created_at <= $1 - make_interval(days => t.retention_days)
                LIMIT $2
                FOR UPDATE OF j SKIP LOCKED),
            gone AS (DELETE FROM job WHERE id IN (SELECT id FROM expired) RETURNING 1)
            SELECT count(*)::int FROM gone
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
        command.Parameters.Add(new NpgsqlParameter { Value = options.Value.BatchSize });
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<int> DeleteExpiredMediaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = new List<Guid>();
        var keys = new List<string>();
        await using (var select = new NpgsqlCommand("""
            SELECT m.id, m.storage_key FROM media_asset AS m JOIN tenant AS t ON t.id = m.tenant_id
            WHERE t.retention_days IS NOT NULL
              AND m.created_at <= $1 - make_interval(days => t.retention_days)
              AND NOT EXISTS (SELECT 1 FROM job AS j WHERE j.media_asset_id = m.id)
            LIMIT $2
            FOR UPDATE OF m SKIP LOCKED
            """, connection))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
            select.Parameters.Add(new NpgsqlParameter { Value = options.Value.BatchSize });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetGuid(0));
                if (!reader.IsDBNull(1))
                {
                    keys.Add(reader.GetString(1));
                }
            }
        }

        // Rows first, bytes after the commit: if a job was submitted for the media meanwhile, the delete fails on its
        // foreign key and nothing is lost; a crash between commit and bytes leaves bytes the leftover sweeper removes.
        await using (var delete = new NpgsqlCommand("DELETE FROM media_asset WHERE id = ANY($1)", connection))
        {
            delete.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var key in keys)
        {
            await blobs.DeleteAsync(key, cancellationToken);
        }

        return ids.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: deleted {Jobs} expired jobs and {Media} expired media")]
    private static partial void LogSwept(ILogger logger, int jobs, int media);
}

/// <summary>Runs <see cref="RetentionSweeper"/> every <see cref="RetentionOptions.SweepSeconds"/>; a failed sweep is retried at the next tick.</summary>
internal sealed class RetentionSweeperService(RetentionSweeper sweeper, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionSweeperService> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(
            TimeSpan.FromSeconds(options.Value.SweepSeconds), runAtStart: true, new OutageLog(logger, "Retention sweeper", time), time,
            ct => sweeper.SweepAsync(ct),
            stoppingToken);
}
