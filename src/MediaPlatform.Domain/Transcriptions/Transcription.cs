using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Domain.Transcriptions;

/// <summary>What a job heard in its media: full text and time-coded segments with words. Immutable once created.</summary>
public sealed class Transcription : AggregateRoot<TranscriptionId>, ITenantOwned
{
    private Transcription(TranscriptionId id)
        : base(id)
    {
    }

    // For EF Core materialisation.
    private Transcription()
        : base(default)
    {
    }

    /// <summary>The tenant that owns it; stamped by persistence, never chosen by the aggregate.</summary>
    public TenantId TenantId { get; private set; }

    public JobId JobId { get; private set; }

    public MediaAssetId MediaAssetId { get; private set; }

    public string Language { get; private set; } = string.Empty;

    public string Engine { get; private set; } = string.Empty;

    public string Model { get; private set; } = string.Empty;

    public string Text { get; private set; } = string.Empty;

    public IReadOnlyList<Segment> Segments { get; private set; } = [];

    /// <summary>Mean word confidence in [0, 1]; null when nothing was recognised.</summary>
    public double? Confidence { get; private set; }

    public int WordCount { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// Builds a transcription from engine output. Segments must be in time order, not overlap, and have
    /// 0 &lt;= start &lt;= end; the full text, word count and confidence are derived from them.
    /// </summary>
    public static Result<Transcription> Create(
        JobId jobId,
        MediaAssetId mediaAssetId,
        string language,
        string engine,
        string model,
        IReadOnlyList<Segment> segments,
        DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(language);
        ArgumentException.ThrowIfNullOrWhiteSpace(engine);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentNullException.ThrowIfNull(segments);

        var previousEnd = 0.0;
        for (var i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            if (s.Start < 0 || s.End < s.Start)
            {
                return TranscriptionErrors.SegmentInvalid(i, $"start {s.Start} and end {s.End} are not an interval");
            }

            if (s.Start < previousEnd)
            {
                return TranscriptionErrors.SegmentInvalid(i, $"it starts at {s.Start}, before the previous segment ends at {previousEnd}");
            }

            if (s.Confidence is < 0 or > 1)
            {
                return TranscriptionErrors.SegmentInvalid(i, $"confidence {s.Confidence} is outside [0, 1]");
            }

            previousEnd = s.End;
        }

        var words = segments.SelectMany(s => s.Words).ToList();
        return new Transcription(TranscriptionId.New())
        {
            JobId = jobId,
            MediaAssetId = mediaAssetId,
            Language = language,
            Engine = engine,
            Model = model,
            Segments = segments,
            Text = string.Join(' ', segments.Select(s => s.Text.Trim()).Where(t => t.Length > 0)),
            WordCount = words.Count,
            Confidence = words.Count == 0 ? null : Math.Round(words.Average(w => w.Confidence), 4),
            CreatedAt = now,
        };
    }
}
