using MapsterMapper;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediatR;

namespace MediaPlatform.Application.Jobs.RetryJob;

internal sealed class RetryJobHandler(IJobRepository jobs, TimeProvider time, IMapper mapper, ICurrentTenant tenant) : IRequestHandler<RetryJobCommand, Result<JobDto>>
{
    public async Task<Result<JobDto>> Handle(RetryJobCommand request, CancellationToken cancellationToken)
    {
        var id = new JobId(request.JobId);
        var job = await jobs.GetAsync(id, cancellationToken);
        if (job is null)
        {
            return JobErrors.NotFound(id);
        }

        var retried = job.Retry(time.GetUtcNow());
        return retried.IsFailure ? retried.Error! : mapper.ToJobDto(job, tenant);
    }
}
