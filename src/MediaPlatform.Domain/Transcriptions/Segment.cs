namespace MediaPlatform.Domain.Transcriptions;

/// <summary>A time-coded stretch of speech (an utterance between silences) and its words.</summary>
public sealed record Segment(double Start, double End, string Text, double Confidence, IReadOnlyList<Word> Words);
