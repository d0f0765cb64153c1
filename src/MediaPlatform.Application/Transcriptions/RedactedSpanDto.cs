namespace MediaPlatform.Application.Transcriptions;

/// <summary>Where a redacted entity was said (seconds) and its policy (<c>email</c>, <c>phone_number</c>...).</summary>
public sealed record RedactedSpanDto(double Start, double End, string Entity);
