using MapsterMapper;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;
using MediatR;

namespace MediaPlatform.Application.Jobs.RetryJob;

internal sealed class RetryJobHandler(IJobRepository jobs, TimeProvider time, IMapper mapper, ICurrentTenant tenant, ITenantUsage usage)
    : IRequestHandler<RetryJobCommand, Result<JobDto>>
{
    public async Task<Result<JobDto>> Handle(RetryJobCommand request, CancellationToken cancellationToken)
    {
        var id = new JobId(request.JobId);
        var job = await jobs.GetAsync(id, cancellationToken);
        if (job is null)
        {
            return JobErrors.NotFound(id);
        }

        // A retry queues the job again, so it counts against the tenant's queue like a submission.
        if (tenant.Limits.MaxQueuedJobs is { } maxQueued && job.IsTerminal
            && (await usage.GetAsync(tenant.RequiredTenantId, cancellationToken)).QueuedJobs >= maxQueued)
        {
            return TenantErrors.QueueFull(maxQueued);
        }

        var retried = job.Retry(time.GetUtcNow());
        return retried.IsFailure ? retried.Error! : mapper.ToJobDto(job, tenant);
    }
}
