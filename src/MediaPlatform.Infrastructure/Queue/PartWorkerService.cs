using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing;
using MediaPlatform.Application.Processing.Chunking;
using MediaPlatform.Infrastructure.Reliability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// The part workers of one process (docs/adr/0012): <see cref="ChunkingSettings.MaxParallelChunks"/> loops that claim
/// queued parts of any job's long recording, decode them (<see cref="PartDecoder"/>) under a lease renewed by
/// heartbeats, and store their transcripts. A part whose job ends (cancelled, failed, deleted) is stopped at once;
/// one whose lease was lost has its result discarded; a failure is the part's alone (retried with backoff while
/// the job's attempts last). On shutdown a part is given back without charging its attempt. A process without job
/// workers (<see cref="QueueOptions.WorkerCount"/> 0, an API-only process) decodes no parts either. A loop goes on from
/// a part to the next part of the same job when that one is still queued, on the same decoder (docs/adr/0031).
/// </summary>
internal sealed partial class PartWorkerService(
    IJobPartQueue queue,
    PartDecoder decoder,
    JobEventHub hub,
    ChunkingSettings chunking,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<PartWorkerService> logger) : BackgroundService
{
    private QueueOptions Settings => options.Value;

    private TimeSpan Lease => TimeSpan.FromSeconds(Settings.LeaseSeconds);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        !chunking.QueueParts || Settings.WorkerCount == 0
            ? Task.CompletedTask
            : Task.WhenAll(Enumerable.Range(1, chunking.MaxParallelChunks)
                .Select(i => Task.Run(() => RunLoopAsync($"{WorkerPresenceService.ProcessId}:part{i}", stoppingToken), CancellationToken.None)));

    private async Task RunLoopAsync(string worker, CancellationToken stoppingToken)
    {
        var outage = new OutageLog(logger, $"Part worker {worker}", time);
        // One decoder for the loop's consecutive parts: the part after the one decoded last is claimed before that one
        // is finished, and continues on the same decoder (docs/adr/0031).
        using var run = decoder.StartRun();
        ClaimedPart? next = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var part = next ?? await queue.ClaimAsync(NewLease(worker), Lease, forRuns: chunking.PartsPerRun > 1, stoppingToken);
                    next = null;
                    outage.Succeeded();
                    if (part is null)
                    {
                        run.End();
                        await hub.WaitForPartsAsync(TimeSpan.FromSeconds(Settings.PollSeconds), stoppingToken);
                        continue;
                    }

                    next = await DecodeAsync(part, run, worker, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database is away, or something unforeseen: a part held keeps its lease until it runs out.
                    outage.Failed(ex);
                    await Task.Delay(TimeSpan.FromSeconds(Settings.PollSeconds), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }
        }
        finally
        {
            if (next is not null)
            {
                // Claimed to go on with, and the host stopped first: given back uncharged.
                await QuietlyAsync(() => queue.ReleaseAsync(next, CancellationToken.None));
            }
        }
    }

    private static string NewLease(string worker) => $"{worker}:{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}";

    /// <summary>Decodes and finishes <paramref name="part"/>; returns the part after it when this worker claimed it to go on with.</summary>
    private async Task<ClaimedPart?> DecodeAsync(ClaimedPart part, PartDecoder.PartRun run, string worker, CancellationToken stoppingToken)
    {
        using var scope = logger.BeginScope("job {JobId} of tenant {TenantId}, part {Part}", part.JobId.Value, part.TenantId.Value, part.Index + 1);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var subscription = hub.Subscribe(part.JobId.Value, e =>
        {
            if (e.Status is "cancelled" or "failed" or "succeeded" or JobEvent.Deleted)
            {
                work.Cancel();
            }
        });
        var progress = new LatestProgress();
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(part, progress, work, heartbeatStop.Token);
        LogClaimed(logger, part.Index + 1, part.JobId.Value, part.Attempt, part.LeaseOwner);
        ClaimedPart? next = null;
        try
        {
            var continued = run.Continued;
            var transcript = await run.DecodeAsync(part, progress, work.Token);
            await heartbeatStop.CancelAsync();
            // The part after this one is claimed while this one is still held, so no other worker takes it in between
            // (it would need a lead-in; this worker's decoder goes on from here).
            next = await NextAsync(run, worker, stoppingToken);
            if (await DurablyAsync(() => queue.CompleteAsync(part, transcript, CancellationToken.None), stoppingToken))
            {
                LogDone(logger, part.Index + 1, part.JobId.Value, run.Continued > continued);
            }
            else
            {
                LogLeaseLost(logger, part.Index + 1, part.JobId.Value);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await QuietlyAsync(() => queue.ReleaseAsync(part, CancellationToken.None));
            if (next is not null)
            {
                await QuietlyAsync(() => queue.ReleaseAsync(next, CancellationToken.None));
                next = null;
            }
        }
        catch (OperationCanceledException) when (work.IsCancellationRequested)
        {
            LogStopped(logger, part.Index + 1, part.JobId.Value);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var (code, message, transient) = ex is MediaProcessingException processing
                ? (processing.Code, processing.Message, processing.IsTransient)
                : ("processing.internal_error", "Decoding a part failed unexpectedly; the error was logged on the worker.", true);
            LogFailed(logger, ex, part.Index + 1, part.JobId.Value, code, transient);
            var retries = new RetryPolicy(TimeSpan.FromSeconds(Settings.RetryBaseSeconds), TimeSpan.FromSeconds(Settings.RetryMaxSeconds));
            await DurablyAsync(() => queue.FailAsync(part, code, message, transient, retries.DelayAfter(part.Attempt, Random.Shared), CancellationToken.None), stoppingToken);
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
        }

        return next;
    }

    /// <summary>The next part of the job just decoded, when it is claimable; null otherwise, or when the database cannot say.</summary>
    private async Task<ClaimedPart?> NextAsync(PartDecoder.PartRun run, string worker, CancellationToken stoppingToken)
    {
        if (run.Next is not { } next)
        {
            return null;
        }

        try
        {
            return await queue.ClaimNextAsync(NewLease(worker), Lease, next.Job, next.Index, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return null; // the part stays queued for any worker
        }
    }

    /// <summary>Renews the part's lease (and its progress) every <see cref="QueueOptions.HeartbeatSeconds"/>; a refusal stops the work.</summary>
    private async Task HeartbeatAsync(ClaimedPart part, LatestProgress progress, CancellationTokenSource work, CancellationToken stop)
    {
        var wait = TimeSpan.FromSeconds(Settings.HeartbeatSeconds);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, time, stop);
                if (!await queue.RenewAsync(part, Lease, progress.Value, stop))
                {
                    // The job ended, or the part was taken over while this worker was away.
                    await work.CancelAsync();
                    return;
                }

                wait = TimeSpan.FromSeconds(Settings.HeartbeatSeconds);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogHeartbeatFailed(logger, part.Index + 1, part.JobId.Value, ex.GetBaseException().Message);
                wait = TimeSpan.FromSeconds(Math.Min(1, Settings.HeartbeatSeconds));
            }
        }
    }

    /// <summary>A part's result, retried through outages until saved or refused, or the host stops (<see cref="DurableWrite"/>).</summary>
    private Task<bool> DurablyAsync(Func<Task<bool>> write, CancellationToken stoppingToken) =>
        DurableWrite.RunAsync(write, new OutageLog(logger, "Finishing a part", time), time, stoppingToken);

    private static async Task QuietlyAsync(Func<Task<bool>> write)
    {
        try
        {
            await write();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Shutting down during an outage: the part's lease runs out and another worker takes it.
        }
    }

    private sealed class LatestProgress : IProgress<double>
    {
        private double _value;

        public double Value => Volatile.Read(ref _value);

        public void Report(double value) => Volatile.Write(ref _value, value);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Part {Part} of job {JobId} claimed (attempt {Attempt}) by {Lease}")]
    private static partial void LogClaimed(ILogger logger, int part, Guid jobId, int attempt, string lease);

    [LoggerMessage(Level = LogLevel.Information, Message = "Part {Part} of job {JobId} decoded (continuing from the part before: {Continued})")]
    private static partial void LogDone(ILogger logger, int part, Guid jobId, bool continued);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Part {Part} of job {JobId} was decoded, but this worker no longer held it; its result was discarded")]
    private static partial void LogLeaseLost(ILogger logger, int part, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Part {Part} of job {JobId} stopped: its job ended or another worker took it")]
    private static partial void LogStopped(ILogger logger, int part, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Part {Part} of job {JobId} failed with {Code} (transient: {Transient})")]
    private static partial void LogFailed(ILogger logger, Exception exception, int part, Guid jobId, string code, bool transient);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat of part {Part} of job {JobId} failed: {Reason}")]
    private static partial void LogHeartbeatFailed(ILogger logger, int part, Guid jobId, string reason);
}
