using MediaPlatform.Domain.Jobs;

namespace MediaPlatform.Application.Processing;

/// <summary>Runs a claimed job's steps: fetch, probe, extract, transcribe, analyse. Does not complete the job.</summary>
public interface IJobPipeline
{
    Task<PipelineResult> RunAsync(Job job, IJobProgress progress, CancellationToken cancellationToken);
}
