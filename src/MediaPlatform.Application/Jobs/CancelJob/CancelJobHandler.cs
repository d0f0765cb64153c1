using MapsterMapper;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediatR;

namespace MediaPlatform.Application.Jobs.CancelJob;

internal sealed class CancelJobHandler(IJobRepository jobs, TimeProvider time, IMapper mapper, ICurrentTenant tenant) : IRequestHandler<CancelJobCommand, Result<JobDto>>
{
    public async Task<Result<JobDto>> Handle(CancelJobCommand request, CancellationToken cancellationToken)
    {
        var id = new JobId(request.JobId);
        var job = await jobs.GetAsync(id, cancellationToken);
        if (job is null)
        {
            return JobErrors.NotFound(id);
        }

        var cancelled = job.Cancel(time.GetUtcNow());
        return cancelled.IsFailure ? cancelled.Error! : mapper.ToJobDto(job, tenant);
    }
}
