namespace MediaPlatform.Domain.Transcriptions;

/// <summary>
/// A time-coded stretch of speech (an utterance between silences) and its words; <paramref name="Speaker"/> is the
/// speaker's label (<c>S1</c>, <c>S2</c>...) once speakers are known.
/// </summary>
public sealed record Segment(double Start, double End, string Text, double Confidence, IReadOnlyList<Word> Words, string? Speaker = null);
