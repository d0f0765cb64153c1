using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Processing.Steps;

/// <summary>The job's analyses of its transcription (an analysis job: of the media's latest); written when the job completes.</summary>
internal sealed class AnalyseStep(ITranscriptionRepository transcriptions, IEnumerable<IAnalyzer> analyzers, TimeProvider time) : IJobStep
{
    public string Name => "analyse";

    public int Weight => 10;

    public bool IsPending(JobContext context) => true;

    public async Task RunAsync(JobContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var job = context.Job;
        context.Transcription ??= await transcriptions.GetLatestForMediaAsync(context.Asset.Id, cancellationToken)
            ?? throw new MediaProcessingException("transcription.missing", "The media has no transcription to analyse; run a transcription job first.", isTransient: false);
        var duration = context.Duration > TimeSpan.Zero ? context.Duration : context.Asset.Duration ?? TimeSpan.Zero;
        context.Analyses.Clear();
        foreach (var kind in job.Options.Analyses)
        {
            var analyzer = analyzers.FirstOrDefault(a => a.Kind == kind)
                ?? throw new MediaProcessingException("analysis.unknown", $"There is no analyzer for '{kind}'.", isTransient: false);
            var output = analyzer.Analyze(context.Transcription, duration);
            context.Analyses.Add(AnalysisResult.Create(job.Id, context.Transcription.Id, kind, output.PayloadJson, output.Score, time.GetUtcNow()).Value);
        }
    }
}
