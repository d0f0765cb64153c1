namespace MediaPlatform.Domain.Transcriptions;

/// <summary>One recognised word; times in seconds from the start of the media, confidence in [0, 1]; the speaker's label once known.</summary>
public sealed record Word(string Text, double Start, double End, double Confidence, string? Speaker = null);
