namespace MediaPlatform.Domain.Jobs;

/// <summary>
/// The job lifecycle: queued -> running -> succeeded | failed | cancelled, with a retry of a failed or
/// cancelled job back to queued. <see cref="Job"/> owns every transition.
/// </summary>
public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
