using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Application.Processing.Chunking;
using MediaPlatform.Domain;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Processing;

/// <summary>
/// The steps of a job. Facts learnt about the media (its bytes fetched, its streams probed) are saved as they
/// are learnt, since they hold whatever becomes of the job; the transcription and analyses are only returned, for
/// the worker to write in the transaction that completes the job, so a crash never leaves half a result.
/// </summary>
internal sealed class JobPipeline(
    IMediaAssetRepository media,
    ITranscriptionRepository transcriptions,
    IUnitOfWork unitOfWork,
    IBlobStore blobs,
    IMediaFetcher fetcher,
    IMediaProbe probe,
    IAudioExtractor extractor,
    IMediaFiles files,
    ITranscriptionEngineCatalog engines,
    ChunkedTranscriber chunked,
    IEnumerable<IAnalyzer> analyzers,
    ICurrentTenant tenant,
    ITenantUsage usage,
    MediaLimits limits,
    TimeProvider time) : IJobPipeline
{
    public async Task<PipelineResult> RunAsync(Job job, IJobProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(progress);
        var asset = await media.GetAsync(job.MediaAssetId, cancellationToken)
            ?? throw new MediaProcessingException("media.not_found", $"Media '{job.MediaAssetId}' no longer exists.", isTransient: false);

        if (job.Kind == JobKind.Analysis)
        {
            progress.Report(10, "analyse");
            var latest = await transcriptions.GetLatestForMediaAsync(asset.Id, cancellationToken)
                ?? throw new MediaProcessingException("transcription.missing", "The media has no transcription to analyse; run a transcription job first.", isTransient: false);
            return new PipelineResult(null, Analyse(job, latest, asset.Duration ?? TimeSpan.Zero));
        }

        var engine = engines.Find(job.Options.Engine)
            ?? throw new MediaProcessingException(
                "engine.unknown", $"There is no transcription engine '{job.Options.Engine}'. Available: {string.Join(", ", engines.Names)}.", isTransient: false);

        // External programs read files: the blob is copied (or linked) into the job's scratch folder when first needed.
        using var scratch = files.CreateScratchFolder();

        // Several jobs may prepare the same media at once; whoever saves second reloads and uses what the first found.
        for (var round = 0; asset.Status is MediaStatus.Registered or MediaStatus.Stored; round++)
        {
            try
            {
                await PrepareAsync(asset, scratch, progress, cancellationToken);
            }
            catch (ConcurrencyConflictException) when (round < 3)
            {
                await media.ReloadAsync(asset, cancellationToken);
            }
        }

        if (asset.Status == MediaStatus.Rejected)
        {
            var code = asset is { HasVideo: true, HasAudio: false } ? "media.no_audio" : "media.rejected";
            throw new MediaProcessingException(code, asset.RejectionReason ?? "The media cannot be processed.", isTransient: false);
        }

        // Limits on media length are checked once the length is known (probing), before any decoding: the tenant's,
        // then the service's (a small file can claim hundreds of hours).
        if (tenant.Limits.MaxMediaSeconds is { } maxSeconds && asset.Duration is { } length && length.TotalSeconds > maxSeconds)
        {
            var error = TenantErrors.MediaTooLong(maxSeconds, length);
            throw new MediaProcessingException(error.Code, error.Message, isTransient: false);
        }

        if (asset.Duration is { } claimed && claimed.TotalSeconds > limits.MaxMediaSeconds)
        {
            throw new MediaProcessingException(
                "media.too_long", $"The media lasts {claimed.TotalSeconds:0} s, longer than this service processes ({limits.MaxMediaSeconds} s).", isTransient: false);
        }

        var wav = Path.Combine(scratch.Path, "audio.wav");
        progress.Report(10, "extract");
        var source = await files.MaterializeAsync(asset.StorageKey!, scratch, cancellationToken);
        await extractor.ExtractAsync(source, wav, cancellationToken);

        progress.Report(15, "transcribe");
        var duration = TimeSpan.FromSeconds(Math.Min((asset.Duration ?? TimeSpan.Zero).TotalSeconds, limits.MaxMediaSeconds));
        var transcript = await chunked.TranscribeAsync(
            engine, wav, duration, job.Options.Language, scratch.Path, new Progress(progress), cancellationToken);
        var created = Transcription.Create(
            job.Id, asset.Id, job.Options.Language ?? transcript.Language, engine.Name, transcript.Model, transcript.Segments, time.GetUtcNow());
        if (created.IsFailure)
        {
            throw new MediaProcessingException("engine.invalid_output", $"The engine returned an invalid transcript: {created.Error!.Message}", isTransient: true);
        }

        progress.Report(90, "analyse");
        return new PipelineResult(created.Value, Analyse(job, created.Value, duration));
    }

    /// <summary>Fetches URL media into the store, then probes stored media; each fact is saved as soon as it is known.</summary>
    private async Task PrepareAsync(MediaAsset asset, IScratchFolder scratch, IJobProgress progress, CancellationToken cancellationToken)
    {
        if (asset.Status == MediaStatus.Registered)
        {
            progress.Report(2, "fetch");
            var fetched = await fetcher.FetchAsync(new Uri(asset.SourceUrl!), cancellationToken);
            if (tenant.Limits.StorageBytes is { } quota && tenant.TenantId is { } tenantId)
            {
                var used = (await usage.GetAsync(tenantId, cancellationToken)).StorageBytes;
                if (used + fetched.Blob.SizeBytes > quota)
                {
                    await blobs.DeleteAsync(fetched.Blob.Key, CancellationToken.None);
                    var full = TenantErrors.StorageFull(quota, used);
                    throw new MediaProcessingException(full.Code, full.Message, isTransient: false);
                }
            }

            try
            {
                asset.MarkStored(fetched.ContentType, fetched.Blob.Key, fetched.Blob.SizeBytes, fetched.Blob.Sha256, time.GetUtcNow());
                await unitOfWork.SaveChangesAsync(cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                await blobs.DeleteAsync(fetched.Blob.Key, CancellationToken.None); // another job stored it first
                throw;
            }
            catch (LimitExceededException limit)
            {
                // Another upload took the room between the check above and this write: the store counted atomically.
                await blobs.DeleteAsync(fetched.Blob.Key, CancellationToken.None);
                throw new MediaProcessingException(limit.Error.Code, limit.Error.Message, isTransient: false);
            }

            return;
        }

        progress.Report(5, "probe");
        MediaStreamFacts facts;
        try
        {
            facts = await probe.ProbeAsync(await files.MaterializeAsync(asset.StorageKey!, scratch, cancellationToken), cancellationToken);
        }
        catch (MediaProcessingException ex) when (!ex.IsTransient)
        {
            asset.Reject(ex.Message, time.GetUtcNow());
            await unitOfWork.SaveChangesAsync(cancellationToken);
            throw;
        }

        asset.RecordProbe(facts, time.GetUtcNow());
        await unitOfWork.SaveChangesAsync(cancellationToken);
    }

    private List<AnalysisResult> Analyse(Job job, Transcription transcription, TimeSpan duration)
    {
        var results = new List<AnalysisResult>();
        foreach (var kind in job.Options.Analyses)
        {
            var analyzer = analyzers.FirstOrDefault(a => a.Kind == kind)
                ?? throw new MediaProcessingException("analysis.unknown", $"There is no analyzer for '{kind}'.", isTransient: false);
            var output = analyzer.Analyze(transcription, duration);
            results.Add(AnalysisResult.Create(job.Id, transcription.Id, kind, output.PayloadJson, output.Score, time.GetUtcNow()).Value);
        }

        return results;
    }

    /// <summary>Maps the engine's fraction done to 15-90 %, the share of the job transcription takes.</summary>
    private sealed class Progress(IJobProgress progress) : IProgress<double>
    {
        public void Report(double value) => progress.Report(15 + (int)(75 * Math.Clamp(value, 0, 1)), "transcribe");
    }
}
