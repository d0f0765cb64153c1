using MediaPlatform.Application.Abstractions;
using MediaPlatform.Infrastructure.Reliability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// Keeps this worker process's row in <c>worker_process</c>, so an operator sees the processes alive, idle ones too
/// (<c>GET /api/v1/queue</c>'s <c>processes</c>): written at start and every <see cref="QueueOptions.HeartbeatSeconds"/>,
/// valid until <see cref="StaleAfter"/> past its last write, removed on a graceful stop. A row past its expiry (the
/// process died) is removed by whichever process writes next. The row's id, <c>host:pid</c>, begins every lease its
/// loops take. A write that fails (an outage) is tried again at the next period; presence never stops the work.
/// </summary>
internal sealed partial class WorkerPresenceService(
    NpgsqlDataSource dataSource,
    ChunkingSettings chunking,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<WorkerPresenceService> logger) : BackgroundService
{
    private bool _registered;

    /// <summary>This process's id in <c>worker_process</c> and the first part of its lease owners.</summary>
    public static string ProcessId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    private QueueOptions Settings => options.Value;

    /// <summary>How long a row stays alive without a write: three heartbeat periods, and never less than a lease.</summary>
    private TimeSpan StaleAfter => TimeSpan.FromSeconds(Math.Max(Settings.LeaseSeconds, 3 * Settings.HeartbeatSeconds));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Settings.WorkerCount == 0
            ? Task.CompletedTask
            : PeriodicLoop.RunAsync(
                TimeSpan.FromSeconds(Settings.HeartbeatSeconds), runAtStart: true, new OutageLog(logger, "Worker presence", time), time, WriteAsync, stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!_registered)
        {
            return;
        }

        try
        {
            await using var command = dataSource.CreateCommand("DELETE FROM worker_process WHERE id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = ProcessId });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Stopping during an outage: the row expires on its own.
            LogRemoveFailed(logger, ex.GetBaseException().Message);
        }
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        // The first write of this process starts its row afresh (a process id reused after a restart is a new process).
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            $"""
            INSERT INTO worker_process (id, host, pid, job_loops, part_loops, expires_at)
            VALUES ($1, $2, $3, $4, $5, clock_timestamp() + make_interval(secs => $6))
            ON CONFLICT (id) DO UPDATE SET
                job_loops = EXCLUDED.job_loops, part_loops = EXCLUDED.part_loops,
                started_at = {(_registered ? "worker_process.started_at" : "clock_timestamp()")},
                last_seen_at = clock_timestamp(), expires_at = EXCLUDED.expires_at
            """)
        {
            Parameters =
            {
                new NpgsqlParameter { Value = ProcessId },
                new NpgsqlParameter { Value = Environment.MachineName },
                new NpgsqlParameter { Value = Environment.ProcessId },
                new NpgsqlParameter { Value = Settings.WorkerCount },
                new NpgsqlParameter { Value = chunking.QueueParts ? chunking.MaxParallelChunks : 0 },
                new NpgsqlParameter { Value = StaleAfter.TotalSeconds },
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM worker_process WHERE expires_at < clock_timestamp()"));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        _registered = true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "This worker process's presence row could not be removed ({Reason}); it expires on its own")]
    private static partial void LogRemoveFailed(ILogger logger, string reason);
}
