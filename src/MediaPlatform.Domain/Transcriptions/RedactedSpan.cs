namespace MediaPlatform.Domain.Transcriptions;

/// <summary>Where a redacted entity was said (seconds from the media's start) and what it was (<c>email</c>, <c>phone_number</c>...).</summary>
public sealed record RedactedSpan(double Start, double End, string Entity);
