using MediaPlatform.Application.Processing;
using MediaPlatform.Domain.Jobs;

namespace MediaPlatform.Bench;

/// <summary>
/// The step the queue benchmarks run: nothing (only the queue's own cost is measured), or a fixed wait standing in for
/// real work (the fairness benchmark, where a backlog must take long enough to starve someone).
/// </summary>
internal sealed class NoOpPipeline(BenchWork work) : IJobPipeline
{
    public async Task<PipelineResult> RunAsync(Job job, IJobProgress progress, CancellationToken cancellationToken)
    {
        if (work.Delay > TimeSpan.Zero)
        {
            await Task.Delay(work.Delay, cancellationToken);
        }

        return new PipelineResult(null, []);
    }
}

/// <summary>How long each benchmark job "works".</summary>
internal sealed record BenchWork(TimeSpan Delay);
