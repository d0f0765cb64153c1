namespace MediaPlatform.Application.Transcriptions;

/// <summary>A recognised word; times in seconds, confidence in [0, 1]; the speaker's label once speakers are known.</summary>
public sealed record WordDto(string Text, double Start, double End, double Confidence, string? Speaker = null);
