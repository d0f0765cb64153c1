using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// The worker's side of <see cref="IJobLease"/>: writes through <see cref="JobLeaseWriter"/> on the lease's clock, the
/// final ones saved together with other jobs' (<see cref="JobFinishBatcher"/>) or, when that fails, on their own,
/// retried through outages until the host stops; a completion writes the results in the same transaction. Handing
/// over the final write frees the worker loop (<paramref name="handedOver"/>) for its next job while it is saved.
/// </summary>
internal sealed class JobLease(
    JobLeaseWriter writer, string owner, LeaseClock clock, JobWorkerService worker, JobFinishBatcher batcher, Action handedOver, CancellationToken stopping)
    : IJobLease
{
    public string Owner => owner;

    public DateTimeOffset Now => clock.GetUtcNow();

    public Task<bool> FinishAsync(Func<Job, Result> change, PipelineResult? results = null)
    {
        handedOver();
        return batcher.FinishAsync(
            writer,
            change,
            results,
            () => worker.DurablyAsync(
                () => writer.UpdateAsync(change, results is null ? null : (services, _) => WriteResults(services, results), CancellationToken.None),
                owner,
                stopping));
    }

    public async Task<LeaseWrite> TryUpdateAsync(Func<Job, Result> change)
    {
        try
        {
            return await writer.UpdateAsync(change, cancellationToken: CancellationToken.None) ? LeaseWrite.Saved : LeaseWrite.Refused;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return LeaseWrite.Failed;
        }
    }

    /// <summary>The analyses; the transcription was saved by its step, when it was made.</summary>
    private static void WriteResults(IServiceProvider services, PipelineResult result)
    {
        var analyses = services.GetRequiredService<IAnalysisResultRepository>();
        foreach (var analysis in result.Analyses)
        {
            analyses.Add(analysis);
        }
    }
}
