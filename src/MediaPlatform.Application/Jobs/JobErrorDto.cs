namespace MediaPlatform.Application.Jobs;

/// <summary>Why the last attempt of a job failed.</summary>
public sealed record JobErrorDto(string Code, string Message);
