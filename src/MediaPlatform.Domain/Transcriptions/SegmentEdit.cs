namespace MediaPlatform.Domain.Transcriptions;

/// <summary>New text for the segment at <paramref name="Index"/> (0-based, in time order).</summary>
public sealed record SegmentEdit(int Index, string Text);
