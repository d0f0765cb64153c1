using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Domain.Transcriptions;

/// <summary>
/// A transcription as it was before an edit: revision 1 is the engine's own output. Kept so that an edit never loses
/// what was heard, and readable with <c>?revision=</c>.
/// </summary>
public sealed class TranscriptionRevision : ITenantOwned
{
    internal TranscriptionRevision(Transcription transcription)
    {
        TranscriptionId = transcription.Id;
        TenantId = transcription.TenantId;
        Revision = transcription.Revision;
        Text = transcription.Text;
        Segments = transcription.Segments;
        SpeakerNames = transcription.SpeakerNames;
        Confidence = transcription.Confidence;
        WordCount = transcription.WordCount;
        CreatedAt = transcription.EditedAt ?? transcription.CreatedAt;
    }

    // For EF Core materialisation.
    private TranscriptionRevision()
    {
    }

    public TranscriptionId TranscriptionId { get; private set; }

    public TenantId TenantId { get; private set; }

    public int Revision { get; private set; }

    public string Text { get; private set; } = string.Empty;

    public IReadOnlyList<Segment> Segments { get; private set; } = [];

    public IReadOnlyDictionary<string, string> SpeakerNames { get; private set; } = new Dictionary<string, string>();

    public double? Confidence { get; private set; }

    public int WordCount { get; private set; }

    /// <summary>When this revision was written (the transcription's creation for revision 1).</summary>
    public DateTimeOffset CreatedAt { get; private set; }
}
