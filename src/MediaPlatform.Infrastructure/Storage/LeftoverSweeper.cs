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
/// Removes what crashes leave behind: partial uploads (which count against the store's quota), blobs no media row
/// refers to (a process died between deleting the row and the bytes), and the scratch folders of workers that are
/// gone (killed with SIGKILL). Anything younger than <see cref="StorageOptions.LeftoverGraceMinutes"/> is left alone,
/// since an upload may still be writing it or its row may not be committed yet.
/// </summary>
public sealed partial class LeftoverSweeper(
    IOptions<StorageOptions> storage, IOptions<ProcessingOptions> processing, NpgsqlDataSource dataSource, TimeProvider time, ILogger<LeftoverSweeper> logger)
{
    public async Task<LeftoverReport> SweepAsync(CancellationToken cancellationToken = default)
    {
        var root = Path.GetFullPath(storage.Value.RootPath);
        var before = time.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(storage.Value.LeftoverGraceMinutes);
        var partials = SweepPartials(root, before);
        var orphans = await SweepOrphansAsync(root, before, cancellationToken);
        var scratch = SweepScratch(LocalMediaFiles.ScratchRoot(processing.Value));
        var report = new LeftoverReport(partials, orphans, scratch);
        if (partials + orphans + scratch > 0)
        {
            LogSwept(logger, partials, orphans, scratch);
        }

        return report;
    }

    private static int SweepPartials(string root, DateTime before)
    {
        var folder = Path.Combine(root, ".partial");
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var removed = 0;
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*.part").Where(f => f.LastWriteTimeUtc < before))
        {
            removed += TryDelete(file) ? 1 : 0;
        }

        return removed;
    }

    private async Task<int> SweepOrphansAsync(string root, DateTime before, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root))
        {
            return 0;
        }

        var removed = 0;
        var candidates = new DirectoryInfo(root).EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => f.LastWriteTimeUtc < before)
            .Select(f => (File: f, Key: Path.GetRelativePath(root, f.FullName).Replace('\\', '/')))
            .Where(c => !c.Key.StartsWith('.'));
        foreach (var batch in candidates.Chunk(500))
        {
            await using var command = dataSource.CreateCommand("SELECT storage_key FROM media_asset WHERE storage_key = ANY($1)");
            command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(c => c.Key).ToArray() });
            var known = new HashSet<string>(StringComparer.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    known.Add(reader.GetString(0));
                }
            }

            foreach (var (file, key) in batch.Where(c => !known.Contains(c.Key)))
            {
                removed += TryDelete(file) ? 1 : 0;
            }
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

    private static bool TryDelete(FileInfo file)
    {
        try
        {
            file.Delete();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
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
