using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Domain.Transcriptions;

/// <summary>
/// What a job heard in its media: full text and time-coded segments with words. People may correct it
/// (<see cref="Edit"/>): each edit makes a new <see cref="Revision"/> and hands back the one it replaces, to be kept.
/// </summary>
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

    /// <summary>1 for the engine's output; one more with every edit.</summary>
    public int Revision { get; private set; } = 1;

    /// <summary>When it was last edited; null while it is the engine's output.</summary>
    public DateTimeOffset? EditedAt { get; private set; }

    /// <summary>Names people gave the speaker labels (<c>S1</c> -> <c>Alice</c>).</summary>
    public IReadOnlyDictionary<string, string> SpeakerNames { get; private set; } = new Dictionary<string, string>();

    /// <summary>Where redacted entities were said; null when the job asked for no redaction (empty when it found none).</summary>
    public IReadOnlyList<RedactedSpan>? Redactions { get; private set; }

    /// <summary>The engine's transcript before redaction, kept only when the job asked for it (keepUnredacted).</summary>
    public IReadOnlyList<Segment>? UnredactedSegments { get; private set; }

    /// <summary>Records that the segments are redacted, where, and (when asked) what they were before.</summary>
    public void RecordRedaction(IReadOnlyList<RedactedSpan> spans, IReadOnlyList<Segment>? unredacted)
    {
        ArgumentNullException.ThrowIfNull(spans);
        Redactions = spans;
        UnredactedSegments = unredacted;
    }

    /// <summary>The speaker labels the transcript uses, in order of first appearance.</summary>
    public IReadOnlyList<string> SpeakerLabels =>
        [.. Segments.SelectMany(s => s.Words.Select(w => w.Speaker).Prepend(s.Speaker)).OfType<string>().Distinct(StringComparer.Ordinal)];

    /// <summary>The segments with each speaker shown by name where one was given (captions, exports, paragraphs).</summary>
    public IReadOnlyList<Segment> DisplaySegments() => WithSpeakerNames(Segments, SpeakerNames);

    /// <summary>
    /// Corrects segment texts (re-timing the words it can match, <see cref="WordRetiming"/>) and names or un-names
    /// (null) speakers. Returns the revision it replaces, which the caller keeps; changes nothing when it fails.
    /// </summary>
    public Result<TranscriptionRevision> Edit(IReadOnlyList<SegmentEdit> segments, IReadOnlyDictionary<string, string?> speakerNames, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(speakerNames);
        var seen = new HashSet<int>();
        for (var i = 0; i < segments.Count; i++)
        {
            var index = segments[i].Index;
            if (index < 0 || index >= Segments.Count)
            {
                return TranscriptionErrors.SegmentIndexInvalid(i, $"{index} is not a segment of this transcript (it has {Segments.Count}, numbered from 0)");
            }

            if (!seen.Add(index))
            {
                return TranscriptionErrors.SegmentIndexInvalid(i, $"segment {index} is edited twice");
            }
        }

        var labels = SpeakerLabels;
        if (speakerNames.Keys.FirstOrDefault(k => !labels.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            return TranscriptionErrors.SpeakerUnknown(unknown, labels);
        }

        var previous = new TranscriptionRevision(this);
        var edited = Segments.ToArray();
        foreach (var edit in segments)
        {
            edited[edit.Index] = WordRetiming.Apply(edited[edit.Index], edit.Text);
        }

        var names = new Dictionary<string, string>(SpeakerNames, StringComparer.Ordinal);
        foreach (var (label, name) in speakerNames)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                names.Remove(label);
            }
            else
            {
                names[label] = name.Trim();
            }
        }

        SetSegments(edited);
        SpeakerNames = names;
        Revision++;
        EditedAt = now;
        return previous;
    }

    /// <summary>The segments with every speaker label replaced by its name, where it has one.</summary>
    public static IReadOnlyList<Segment> WithSpeakerNames(IReadOnlyList<Segment> segments, IReadOnlyDictionary<string, string> names)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
        {
            return segments;
        }

        string? Named(string? label) => label is not null && names.TryGetValue(label, out var name) ? name : label;
        return [.. segments.Select(s => s with { Speaker = Named(s.Speaker), Words = [.. s.Words.Select(w => w with { Speaker = Named(w.Speaker) })] })];
    }

    private void SetSegments(IReadOnlyList<Segment> segments)
    {
        var words = segments.SelectMany(s => s.Words).ToList();
        Segments = segments;
        Text = string.Join(' ', segments.Select(s => s.Text.Trim()).Where(t => t.Length > 0));
        WordCount = words.Count;
        Confidence = words.Count == 0 ? null : Math.Round(words.Average(w => w.Confidence), 4);
    }

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

        var transcription = new Transcription(TranscriptionId.New())
        {
            JobId = jobId,
            MediaAssetId = mediaAssetId,
            Language = language,
            Engine = engine,
            Model = model,
            CreatedAt = now,
        };
        transcription.SetSegments(segments);
        return transcription;
    }
}
