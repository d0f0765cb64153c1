using MediaPlatform.Application.Processing;
using MediaPlatform.Domain.Jobs;

namespace MediaPlatform.Bench;

/// <summary>The step the queue benchmark runs: nothing, so only the queue's own cost is measured.</summary>
internal sealed class NoOpPipeline : IJobPipeline
{
    public Task<PipelineResult> RunAsync(Job job, IJobProgress progress, CancellationToken cancellationToken) =>
        Task.FromResult(new PipelineResult(null, []));
}
