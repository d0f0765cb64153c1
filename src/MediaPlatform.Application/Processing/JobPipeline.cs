using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Telemetry;
using MediaPlatform.Application.Processing.Steps;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Processing;

/// <summary>
/// Runs a job's steps (<see cref="IJobStep"/>: fetch, probe, extract, transcribe, analyse, in registration order)
/// in one scratch folder. What a step produces is stored as soon as it exists (the media's bytes and facts, the
/// transcription), so a later failure throws nothing finished away and a retry resumes at the first step with work
/// left; the analyses are returned, for the worker to write in the transaction that completes the job. Progress is
/// each step's share (its weight) of the steps this job needs.
/// </summary>
internal sealed class JobPipeline(
    IMediaAssetRepository media,
    ITranscriptionRepository transcriptions,
    ITranscriptionEngineCatalog engines,
    IMediaFiles files,
    IEnumerable<IJobStep> steps) : IJobPipeline
{
    private const int MaxPrepareConflicts = 3;

    public async Task<PipelineResult> RunAsync(Job job, IJobProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(progress);
        var asset = await media.GetAsync(job.MediaAssetId, cancellationToken)
            ?? throw new MediaProcessingException("media.not_found", $"Media '{job.MediaAssetId}' no longer exists.", isTransient: false);

        using var scratch = files.CreateScratchFolder();
        var context = new JobContext(job, asset, scratch)
        {
            // An earlier attempt of this job that got as far as its transcription: resume after it.
            Transcription = job.Kind == JobKind.Transcription ? await transcriptions.GetByJobAsync(job.Id, cancellationToken) : null,
        };
        if (context.Transcribes && context.Transcription is null && engines.Find(job.Options.Engine) is null)
        {
            // Known before anything is fetched or decoded.
            throw new MediaProcessingException(
                "engine.unknown", $"There is no transcription engine '{job.Options.Engine}'. Available: {string.Join(", ", engines.Names)}.", isTransient: false);
        }

        var plan = steps.ToList();
        var total = Math.Max(1, plan.Sum(s => s.Weight));
        var done = 0;
        foreach (var step in plan)
        {
            if (step.IsPending(context))
            {
                await RunStepAsync(step, context, new StepProgress(progress, step.Name, done, step.Weight, total), cancellationToken);
            }

            done += step.Weight;
        }

        return new PipelineResult(context.Transcription, context.Analyses);
    }

    /// <summary>Several jobs may prepare the same media at once; whoever saves second reloads it and goes on from what the first found.</summary>
    private async Task RunStepAsync(IJobStep step, JobContext context, StepProgress progress, CancellationToken cancellationToken)
    {
        using var activity = PlatformTelemetry.Source.StartActivity($"job.step {step.Name}");
        activity?.SetTag("mediaplatform.step", step.Name);
        activity?.SetTag(PlatformTelemetry.JobIdTag, context.Job.Id.Value.ToString());
        try
        {
            await RunStepRoundsAsync(step, context, progress, cancellationToken);
        }
        catch (Exception ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex is MediaProcessingException processing ? processing.Code : ex.GetType().Name);
            throw;
        }
    }

    private async Task RunStepRoundsAsync(IJobStep step, JobContext context, StepProgress progress, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            progress.Report(0);
            try
            {
                await step.RunAsync(context, progress, cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException) when (round < MaxPrepareConflicts)
            {
                await media.ReloadAsync(context.Asset, cancellationToken);
                if (!step.IsPending(context))
                {
                    return;
                }
            }
        }
    }

    /// <summary>A step's fraction done, as the job's percentage: the steps before it, plus its share of its own weight.</summary>
    private sealed class StepProgress(IJobProgress progress, string step, int before, int weight, int total) : IProgress<double>
    {
        public void Report(double value) =>
            progress.Report((int)(100.0 * (before + (weight * Math.Clamp(value, 0, 1))) / total), step);
    }
}
