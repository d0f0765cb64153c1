namespace MediaPlatform.Application.Transcriptions;

/// <summary>A stretch of speech; times in seconds from the start of the media; the speaker's label once speakers are known.</summary>
public sealed record SegmentDto(double Start, double End, string Text, double Confidence, IReadOnlyList<WordDto> Words, string? Speaker = null);
