using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediatR;

namespace MediaPlatform.Application.Jobs.DeleteJob;

internal sealed class DeleteJobHandler(IJobRepository jobs) : IRequestHandler<DeleteJobCommand, Result>
{
    public async Task<Result> Handle(DeleteJobCommand request, CancellationToken cancellationToken)
    {
        var id = new JobId(request.JobId);
        var job = await jobs.GetAsync(id, cancellationToken);
        if (job is null)
        {
            return JobErrors.NotFound(id);
        }

        if (job.Status == JobStatus.Running)
        {
            return Error.Conflict("job.running", $"Job '{id}' is running; cancel it before deleting it.");
        }

        jobs.Remove(job);
        return Result.Success();
    }
}
