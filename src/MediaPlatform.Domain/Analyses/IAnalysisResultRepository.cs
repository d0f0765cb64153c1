using MediaPlatform.Domain.Jobs;

namespace MediaPlatform.Domain.Analyses;

/// <summary>Stores <see cref="AnalysisResult"/>s; at most one per job and kind.</summary>
public interface IAnalysisResultRepository
{
    void Add(AnalysisResult result);

    Task<IReadOnlyList<AnalysisResult>> ListByJobAsync(JobId jobId, CancellationToken cancellationToken = default);
}
