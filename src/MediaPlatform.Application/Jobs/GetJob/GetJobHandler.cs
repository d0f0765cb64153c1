using MapsterMapper;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediatR;

namespace MediaPlatform.Application.Jobs.GetJob;

internal sealed class GetJobHandler(IJobRepository jobs, IQueueStatistics queue, IMapper mapper, ICurrentTenant tenant) : IRequestHandler<GetJobQuery, Result<JobDto>>
{
    public async Task<Result<JobDto>> Handle(GetJobQuery request, CancellationToken cancellationToken)
    {
        var id = new JobId(request.JobId);
        var job = await jobs.ReadAsync(id, cancellationToken);
        if (job is null)
        {
            return JobErrors.NotFound(id);
        }

        var dto = mapper.ToJobDto(job, tenant);
        return job.Status == JobStatus.Queued ? dto with { QueuePosition = await queue.PositionAsync(id, cancellationToken) } : dto;
    }
}
