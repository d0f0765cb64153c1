using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Telemetry;

namespace MediaPlatform.Application.Processing.Chunking;

/// <summary>
/// Transcribes a recording as parts decoded at once: finds its silences, plans the cuts (<see cref="ChunkPlanner"/>),
/// writes the parts, decodes up to <see cref="ChunkingSettings.MaxParallelChunks"/> of them at a time and merges them
/// back (<see cref="TranscriptMerger"/>). Progress is the share of the audio decoded. A recording that fits in one
/// part is decoded whole, exactly as before. The first part to fail stops the others and its error is the job's.
/// A job's recording with more parts than this worker decodes at once is handed to <see cref="QueuedPartsTranscriber"/>
/// instead (when <see cref="ChunkingSettings.QueueParts"/>): its parts are queued for every worker process.
/// </summary>
internal sealed class ChunkedTranscriber(IAudioChunker chunker, ChunkingSettings settings, QueuedPartsTranscriber? queued = null)
{
    public Task<EngineTranscript> TranscribeAsync(
        ITranscriptionEngine engine, string wavPath, TimeSpan duration, string? language, string scratchFolder, IProgress<double> progress, CancellationToken cancellationToken) =>
        TranscribeAsync(engine, job: null, wavPath, duration, language, scratchFolder, progress, cancellationToken);

    /// <summary>Transcribes the audio of <paramref name="job"/>, whose parts may be queued for other workers.</summary>
    public async Task<EngineTranscript> TranscribeAsync(
        ITranscriptionEngine engine, Domain.Jobs.Job? job, string wavPath, TimeSpan duration, string? language, string scratchFolder, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var total = duration.TotalSeconds;
        // One engine process per worker still splits a recording whose parts other workers can take (with the job's
        // vocabulary: a claimed part carries it).
        var canQueue = job is not null && queued is not null && settings.QueueParts;
        if (total <= settings.ChunkSeconds * ChunkPlanner.TailAllowance || (settings.MaxParallelChunks <= 1 && !canQueue))
        {
            return await EngineRuns.TranscribeAsync(engine, wavPath, duration, TimeSpan.Zero, language, progress, cancellationToken);
        }

        // Planned on the audio's real length: a container's duration can be an estimate (VBR mp3) or longer than
        // its sound track (video).
        var map = await chunker.FindSilencesAsync(wavPath, cancellationToken);
        total = map.Seconds;
        var spans = ChunkPlanner.Plan(total, map.Silences, settings.ChunkSeconds);
        if (spans.Count == 1)
        {
            return await EngineRuns.TranscribeAsync(engine, wavPath, duration, TimeSpan.Zero, language, progress, cancellationToken);
        }

        // Each part after the first is decoded from a few seconds before its span, so the engine's running
        // normalisation has settled by the time it reaches the words the part answers for (measured: without a
        // lead-in, cutting cost accuracy; see the README's chunking figures).
        if (canQueue && spans.Count > settings.MaxParallelChunks)
        {
            var queuedSpans = ChunkPlanner.Plan(total, map.Silences, Math.Max(settings.ChunkSeconds, settings.QueuedChunkSeconds));
            PlatformTelemetry.RecordingParts.Record(queuedSpans.Count, new KeyValuePair<string, object?>("decoded_by", "queue"));
            return await queued!.TranscribeAsync(job!, engine.Name, wavPath, queuedSpans, LeadIns(queuedSpans), total, scratchFolder, progress, cancellationToken);
        }

        var decode = LeadIns(spans);

        PlatformTelemetry.RecordingParts.Record(spans.Count, new KeyValuePair<string, object?>("decoded_by", "worker"));
        var folder = Directory.CreateDirectory(Path.Combine(scratchFolder, "chunks")).FullName;
        var paths = await chunker.SplitAsync(wavPath, decode, folder, cancellationToken);
        var decoded = new double[spans.Count];
        var results = new EngineTranscript[spans.Count];
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var gate = new SemaphoreSlim(settings.MaxParallelChunks);

        async Task DecodeAsync(int i)
        {
            await gate.WaitAsync(failed.Token);
            try
            {
                var part = new PartProgress(i, spans[i].Duration, decoded, total, progress);
                results[i] = await EngineRuns.TranscribeAsync(
                    engine, paths[i], TimeSpan.FromSeconds(decode[i].Duration), TimeSpan.FromSeconds(spans[i].Start - decode[i].Start), language, part, failed.Token);
                part.Report(1);
                File.Delete(paths[i]); // done with it: a long recording's parts need not all stay on disk
            }
            catch
            {
                await failed.CancelAsync();
                throw;
            }
            finally
            {
                gate.Release();
            }
        }

        var tasks = Enumerable.Range(0, spans.Count).Select(DecodeAsync).ToList();
        try
        {
            await Task.WhenAll(tasks);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A part failed and cancelled the rest: surface that part's error, not a cancellation.
            if (tasks.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException) is { } cause)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            }

            throw;
        }

        return TranscriptMerger.Merge([.. spans.Select((s, i) => new DecodedPart(s, decode[i].Start, results[i]))]);
    }

    /// <summary>Where each part's decoding starts: a few seconds before its span, except the first.</summary>
    private List<AudioSpan> LeadIns(IReadOnlyList<AudioSpan> spans) =>
        [.. spans.Select((s, i) => i == 0 ? s : s with { Start = Math.Max(0, s.Start - settings.LeadInSeconds) })];

    /// <summary>One part's share of the recording's progress.</summary>
    private sealed class PartProgress(int index, double seconds, double[] decoded, double total, IProgress<double> overall) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (decoded)
            {
                decoded[index] = Math.Max(decoded[index], seconds * Math.Clamp(value, 0, 1));
                overall.Report(decoded.Sum() / total);
            }
        }
    }
}
