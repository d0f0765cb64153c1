using MediaPlatform.Domain.Common;

namespace MediaPlatform.Domain.Jobs;

/// <summary>Raised on every lifecycle transition of a job.</summary>
public sealed record JobStatusChanged(JobId JobId, JobStatus From, JobStatus To, DateTimeOffset OccurredAt) : IDomainEvent;
