using System.Globalization;
using MediaPlatform.Infrastructure.Media;
using MediaPlatform.Infrastructure.Reliability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MediaPlatform.Infrastructure.Storage;

/// <summary>What one sweep removed.</summary>
public sealed record LeftoverReport(int PartialUploads, int OrphanedBlobs, int ScratchFolders);

/// <summary>
/// Removes what crashes leave behind: partial uploads (which count against the store's quota), blobs no media row or
/// queued part refers to (a process died between deleting the row and the bytes, or a job with queued parts was deleted), and the scratch folders of workers that are
/// gone (killed with SIGKILL). Anything younger than <see cref="StorageOptions.LeftoverGraceMinutes"/> is left alone,
/// since an upload may still be writing it or its row may not be committed yet.
/// </summary>
internal sealed partial class LeftoverSweeper(
    IBlobStoreMaintenance store, IOptions<StorageOptions> storage, IOptions<ProcessingOptions> processing, NpgsqlDataSource dataSource, TimeProvider time, ILogger<LeftoverSweeper> logger)
{
    public async Task<LeftoverReport> SweepAsync(CancellationToken cancellationToken = default)
    {
        var before = time.GetUtcNow() - TimeSpan.FromMinutes(storage.Value.LeftoverGraceMinutes);
        var partials = await store.RemoveAbandonedWritesAsync(before, cancellationToken);
        var orphans = await SweepOrphansAsync(before, cancellationToken);
        var scratch = SweepScratch(LocalMediaFiles.ScratchRoot(processing.Value));
        var report = new LeftoverReport(partials, orphans, scratch);
        if (partials + orphans + scratch > 0)
        {
            LogSwept(logger, partials, orphans, scratch);
        }

        return report;
    }

    private async Task<int> SweepOrphansAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var removed = 0;
        var batch = new List<string>(500);
        await foreach (var key in store.ListKeysAsync(before, cancellationToken))
        {
            batch.Add(key);
            if (batch.Count == 500)
            {
                removed += await DeleteUnreferencedAsync(batch, cancellationToken);
                batch.Clear();
            }
        }

        return removed + await DeleteUnreferencedAsync(batch, cancellationToken);
    }

    private async Task<int> DeleteUnreferencedAsync(List<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return 0;
        }

        await using var command = dataSource.CreateCommand("SELECT storage_key FROM media_asset WHERE storage_key = ANY($1) UNION SELECT blob_key FROM job_part WHERE blob_key = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = keys.ToArray() });
        var known = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                known.Add(reader.GetString(0));
            }
        }

        var removed = 0;
        foreach (var key in keys.Where(k => !known.Contains(k)))
        {
            await store.DeleteAsync(key, cancellationToken);
            removed++;
        }

        return removed;
    }

    /// <summary>Folders named <c>mediaplatform-job-&lt;pid&gt;-...</c> whose process is gone.</summary>
    private static int SweepScratch(string scratchRoot)
    {
        if (!Directory.Exists(scratchRoot))
        {
            return 0;
        }

        var removed = 0;
        foreach (var folder in new DirectoryInfo(scratchRoot).EnumerateDirectories(LocalMediaFiles.ScratchPrefix + "*"))
        {
            var rest = folder.Name[LocalMediaFiles.ScratchPrefix.Length..];
            var dash = rest.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsAlive(pid))
            {
                continue;
            }

            try
            {
                folder.Delete(recursive: true);
                removed++;
            }
            catch (IOException)
            {
                // Taken by a new process with the same id, or being deleted by another sweeper.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return removed;
    }

    private static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            return Directory.Exists($"/proc/{pid}");
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Leftovers removed: {Partials} partial uploads, {Orphans} orphaned blobs, {Scratch} scratch folders of dead workers")]
    private static partial void LogSwept(ILogger logger, int partials, int orphans, int scratch);
}

/// <summary>Runs <see cref="LeftoverSweeper"/> when a worker process starts and then every <see cref="StorageOptions.LeftoverSweepMinutes"/>.</summary>
internal sealed class LeftoverSweeperService(LeftoverSweeper sweeper, IOptions<StorageOptions> options, TimeProvider time, ILogger<LeftoverSweeperService> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(
            TimeSpan.FromMinutes(options.Value.LeftoverSweepMinutes), runAtStart: true, new OutageLog(logger, "Leftover sweeper", time), time,
            ct => sweeper.SweepAsync(ct),
            stoppingToken);
}
