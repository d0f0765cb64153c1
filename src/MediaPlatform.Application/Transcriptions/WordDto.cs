namespace MediaPlatform.Application.Transcriptions;

/// <summary>A recognised word; times in seconds, confidence in [0, 1].</summary>
public sealed record WordDto(string Text, double Start, double End, double Confidence);
