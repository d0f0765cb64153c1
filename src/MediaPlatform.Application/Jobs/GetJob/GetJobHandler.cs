using MapsterMapper;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediatR;

namespace MediaPlatform.Application.Jobs.GetJob;

internal sealed class GetJobHandler(IJobRepository jobs, IMapper mapper, ICurrentTenant tenant) : IRequestHandler<GetJobQuery, Result<JobDto>>
{
    public async Task<Result<JobDto>> Handle(GetJobQuery request, CancellationToken cancellationToken)
    {
        var id = new JobId(request.JobId);
        var job = await jobs.ReadAsync(id, cancellationToken);
        return job is null ? JobErrors.NotFound(id) : mapper.ToJobDto(job, tenant);
    }
}
