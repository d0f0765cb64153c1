using MapsterMapper;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediatR;

namespace MediaPlatform.Application.Analyses.ListJobAnalyses;

internal sealed class ListJobAnalysesHandler(IJobRepository jobs, IAnalysisResultRepository analyses, IMapper mapper)
    : IRequestHandler<ListJobAnalysesQuery, Result<IReadOnlyList<AnalysisResultDto>>>
{
    public async Task<Result<IReadOnlyList<AnalysisResultDto>>> Handle(ListJobAnalysesQuery request, CancellationToken cancellationToken)
    {
        var jobId = new JobId(request.JobId);
        if (await jobs.GetAsync(jobId, cancellationToken) is null)
        {
            return JobErrors.NotFound(jobId);
        }

        var results = await analyses.ListByJobAsync(jobId, cancellationToken);
        return Result<IReadOnlyList<AnalysisResultDto>>.Success(results.Select(mapper.Map<AnalysisResultDto>).ToList());
    }
}
