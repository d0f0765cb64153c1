using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Jobs;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Persistence.Repositories;

internal sealed class AnalysisResultRepository(MediaPlatformDbContext db) : IAnalysisResultRepository
{
    public void Add(AnalysisResult result) => db.AnalysisResults.Add(result);

    public async Task<IReadOnlyList<AnalysisResult>> ListByJobAsync(JobId jobId, CancellationToken cancellationToken = default) =>
        await db.AnalysisResults
            .Where(a => a.JobId == jobId)
            .OrderBy(a => a.Kind)
            .ToListAsync(cancellationToken);
}
