namespace MediaPlatform.Application.Transcriptions;

/// <summary>A transcription as clients see it: full text and time-coded segments with words.</summary>
public sealed record TranscriptionDto
{
    public Guid Id { get; init; }

    public Guid JobId { get; init; }

    public Guid MediaId { get; init; }

    public string Language { get; init; } = string.Empty;

    public string Engine { get; init; } = string.Empty;

    public string Model { get; init; } = string.Empty;

    public string Text { get; init; } = string.Empty;

    public double? Confidence { get; init; }

    public int WordCount { get; init; }

    public IReadOnlyList<SegmentDto> Segments { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }
}
