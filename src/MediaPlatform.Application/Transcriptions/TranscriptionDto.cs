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

    /// <summary>1 for the engine's output, one more with every edit; also the ETag of the document.</summary>
    public int Revision { get; init; } = 1;

    /// <summary>When this revision was written by an edit; null for the engine's output.</summary>
    public DateTimeOffset? EditedAt { get; init; }

    /// <summary>Where PII was redacted (each span's time and entity); null when the job asked for no redaction.</summary>
    public IReadOnlyList<RedactedSpanDto>? Redactions { get; init; }

    /// <summary>Names given to speaker labels (S1 -> Alice).</summary>
    public IReadOnlyDictionary<string, string> Speakers { get; init; } = new Dictionary<string, string>();
}
