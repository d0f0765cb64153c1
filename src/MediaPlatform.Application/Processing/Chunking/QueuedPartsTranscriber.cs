using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Jobs;
using Microsoft.Extensions.Logging;

namespace MediaPlatform.Application.Processing.Chunking;

/// <summary>
/// The coordinator of a recording with more parts than one worker decodes at once (docs/adr/0012): it stores each
/// part's WAV in the blob store, queues the parts (<see cref="IJobPartQueue"/>) for every worker process to claim,
/// follows them (progress is the share of the audio decoded), and merges their transcripts when the last is done.
/// A retried or taken-over job finds its parts queued and goes on from those not done; a part that failed for good
/// fails the job. A database outage shorter than <see cref="MaxOutage"/> costs the job nothing: the coordinator keeps
/// waiting, as the parts' workers keep decoding. The part rows stay until the transcription is saved (<see cref="ForgetAsync"/>).
/// </summary>
internal sealed partial class QueuedPartsTranscriber(
    IAudioChunker chunker, IBlobStore blobs, IJobPartQueue queue, TimeProvider time, ILogger<QueuedPartsTranscriber> logger)
{
    /// <summary>
    /// How long the coordinator rides out a database that is away (its worker's heartbeats keep the job's lease
    /// meanwhile, and the parts' workers keep decoding): the same bound as the transcript's save.
    /// </summary>
    private static readonly TimeSpan MaxOutage = TimeSpan.FromSeconds(120);

    /// <summary>How often the parts are looked at when no notification arrives.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public async Task<EngineTranscript> TranscribeAsync(
        Job job, string engine, string wavPath, IReadOnlyList<AudioSpan> spans, IReadOnlyList<AudioSpan> decode, double totalSeconds,
        string scratchFolder, IProgress<double> progress, CancellationToken cancellationToken)
    {
        await QueueAsync(job, engine, wavPath, spans, decode, scratchFolder, cancellationToken);
        while (true)
        {
            var states = await ThroughOutageAsync(() => queue.ListAsync(job.Id, cancellationToken), cancellationToken);
            if (states.Count != spans.Count)
            {
                // Deleted under us (the job was deleted or retried from scratch): this attempt cannot finish.
                throw new MediaProcessingException("parts.missing", "The recording's parts are no longer queued.", isTransient: true);
            }

            progress.Report(states.Sum(s => s.Keep.Duration * s.Status switch
            {
                PartStatus.Done => 1,
                PartStatus.Running => Math.Clamp(s.Progress, 0, 1),
                _ => 0,
            }) / totalSeconds);

            if (states.FirstOrDefault(s => s.Status == PartStatus.Failed
                    || (s.Status == PartStatus.Running && s.LeaseExpired && s.Attempts >= job.MaxAttempts)) is { } failed)
            {
                await ForgetAsync(job, states, CancellationToken.None);
                throw failed.Status == PartStatus.Failed
                    ? new MediaProcessingException(
                        failed.ErrorCode ?? "part.failed", $"Part {failed.Index + 1} of {states.Count} failed: {failed.ErrorMessage}", isTransient: false)
                    : new MediaProcessingException(
                        "part.abandoned", $"Part {failed.Index + 1} of {states.Count} lost its worker {failed.Attempts} times.", isTransient: false);
            }

            if (states.All(s => s.Status == PartStatus.Done))
            {
                var transcripts = await ThroughOutageAsync(() => queue.TranscriptsAsync(job.Id, cancellationToken), cancellationToken);
                var merged = TranscriptMerger.Merge([.. states.Select(s => new DecodedPart(s.Keep, s.DecodeFrom, transcripts[s.Index]))]);
                await DeleteBlobsQuietlyAsync(states);
                return merged;
            }

            await queue.WaitForChangeAsync(job.Id, PollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// Removes the job's parts and their blobs once its transcription is saved. Quietly: the transcript is safe, and
    /// rows left by an outage go with the job (their blobs are swept once no row refers to them).
    /// </summary>
    public async Task ForgetAsync(Job job, CancellationToken cancellationToken)
    {
        try
        {
            var states = await queue.ListAsync(job.Id, cancellationToken);
            if (states.Count > 0)
            {
                await ForgetAsync(job, states, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            LogPartsLeft(logger, job.Id.Value, ex.GetBaseException().Message);
        }
    }

    private async Task ForgetAsync(Job job, IReadOnlyList<PartState> states, CancellationToken cancellationToken)
    {
        await DeleteBlobsQuietlyAsync(states);
        await queue.DeleteAsync(job.Id, cancellationToken);
    }

    /// <summary>
    /// Queues the parts, unless an earlier attempt queued the same plan (the extracted audio and the settings are the
    /// same, so the plan is too): then its finished parts are kept and the rest go on. A different plan (changed
    /// settings) replaces the old one.
    /// </summary>
    private async Task QueueAsync(
        Job job, string engine, string wavPath, IReadOnlyList<AudioSpan> spans, IReadOnlyList<AudioSpan> decode, string scratchFolder, CancellationToken cancellationToken)
    {
        var existing = await ThroughOutageAsync(() => queue.ListAsync(job.Id, cancellationToken), cancellationToken);
        if (existing.Count == spans.Count && existing.All(p => Same(p.Keep, spans[p.Index]) && Same(p.DecodeFrom, decode[p.Index].Start)))
        {
            LogResumed(logger, job.Id.Value, existing.Count(p => p.Status == PartStatus.Done), existing.Count);
            return;
        }

        if (existing.Count > 0)
        {
            await ForgetAsync(job, existing, cancellationToken);
        }

        var folder = Directory.CreateDirectory(Path.Combine(scratchFolder, "parts")).FullName;
        var paths = await chunker.SplitAsync(wavPath, decode, folder, cancellationToken);
        var plans = new List<PartPlan>(paths.Count);
        try
        {
            for (var i = 0; i < paths.Count; i++)
            {
                StoredBlob stored;
                await using (var content = File.OpenRead(paths[i]))
                {
                    var saved = await blobs.SaveAsync(content, long.MaxValue, cancellationToken);
                    if (saved.IsFailure)
                    {
                        throw new MediaProcessingException("parts.storage", $"A part of the recording could not be stored: {saved.Error!.Message}", isTransient: true);
                    }

                    stored = saved.Value;
                }

                File.Delete(paths[i]);
                plans.Add(new PartPlan(i, spans[i], decode[i].Start, stored.Key));
            }

            await ThroughOutageAsync(
                async () =>
                {
                    await queue.EnqueueAsync(job.Id, job.TenantId, engine, job.Options.Language, plans, cancellationToken);
                    return true;
                },
                cancellationToken);
        }
        catch
        {
            foreach (var plan in plans)
            {
                await DeleteBlobQuietlyAsync(plan.BlobKey);
            }

            throw;
        }

        LogQueued(logger, job.Id.Value, plans.Count);
    }

    /// <summary>Runs a read or write of the part queue, again every second while the database is away, up to <see cref="MaxOutage"/>.</summary>
    private async Task<T> ThroughOutageAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException and not MediaProcessingException
                && time.GetElapsedTime(started) < MaxOutage)
            {
                LogOutage(logger, ex.GetBaseException().Message);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
        }
    }

    private async Task DeleteBlobsQuietlyAsync(IReadOnlyList<PartState> states)
    {
        foreach (var state in states)
        {
            await DeleteBlobQuietlyAsync(state.BlobKey);
        }
    }

    /// <summary>A blob left behind is removed by the leftover sweeper once no part refers to it.</summary>
    private async Task DeleteBlobQuietlyAsync(string key)
    {
        try
        {
            await blobs.DeleteAsync(key, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogBlobLeft(logger, key, ex.GetBaseException().Message);
        }
    }

    private static bool Same(AudioSpan a, AudioSpan b) => Same(a.Start, b.Start) && Same(a.End, b.End);

    private static bool Same(double a, double b) => Math.Abs(a - b) < 1e-6;

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: {Count} parts queued for any worker")]
    private static partial void LogQueued(ILogger logger, Guid jobId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId}: resumed its queued parts ({Done} of {Count} done)")]
    private static partial void LogResumed(ILogger logger, Guid jobId, int done, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The parts of job {JobId} were left in place ({Reason}); they go with the job")]
    private static partial void LogPartsLeft(ILogger logger, Guid jobId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The part queue is unavailable ({Reason}); waiting for it")]
    private static partial void LogOutage(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A part's blob {Key} could not be deleted ({Reason}); the leftover sweeper removes it")]
    private static partial void LogBlobLeft(ILogger logger, string key, string reason);
}
