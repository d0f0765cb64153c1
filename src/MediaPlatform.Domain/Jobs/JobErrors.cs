using MediaPlatform.Domain.Common;

namespace MediaPlatform.Domain.Jobs;

/// <summary>The expected failures of the job aggregate.</summary>
public static class JobErrors
{
    public static Error NotFound(JobId id) =>
        Error.NotFound("job.not_found", $"Job '{id}' does not exist.");

    public static Error InvalidTransition(JobId id, JobStatus from, string action) =>
        Error.Conflict(
            "job.invalid_transition",
            $"Job '{id}' is {from.ToString().ToLowerInvariant()} and cannot be {action}.");

    public static Error AttemptsExhausted(JobId id, int maxAttempts) =>
        Error.Conflict(
            "job.attempts_exhausted",
            $"Job '{id}' has used all {maxAttempts} attempts and cannot be retried automatically.");

    public static Error NotLeaseOwner(JobId id, string worker) =>
        Error.Conflict("job.lease_lost", $"Worker '{worker}' no longer holds the lease on job '{id}'.");

    public static Error ProgressOutOfRange(int progress) =>
        Error.Validation("job.progress_out_of_range", $"Progress must be between 0 and 100, not {progress}.");
}
