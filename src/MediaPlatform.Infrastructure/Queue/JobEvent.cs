namespace MediaPlatform.Infrastructure.Queue;

/// <summary>A change of a job's status or progress, as the database trigger announces it on <c>job_events</c>.</summary>
public sealed record JobEvent(Guid Id, string Status, int Progress, string? Step);
