using MediaPlatform.Domain.Analyses;

namespace MediaPlatform.Domain.Jobs;

/// <summary>How a job should run: spoken language, analyses to run after transcription, and the engine to use.</summary>
public sealed record JobOptions
{
    public const int MaxLanguageLength = 16;
    public const int MaxEngineLength = 64;

    public JobOptions(string? language, IReadOnlyList<AnalysisKind>? analyses, string? engine, JobWebhook? webhook = null, PiiRedaction? redaction = null, TranscriptOptions? transcript = null, SpeakerLabels? speakers = null,
        IReadOnlyList<string>? vocabulary = null)
    {
        Speakers = speakers;
        Vocabulary = Terms(vocabulary);
        Webhook = webhook;
        Redaction = redaction;
        Transcript = transcript ?? TranscriptOptions.Default;
        Language = string.IsNullOrWhiteSpace(language) ? null : language.Trim();
        Analyses = analyses is null ? [] : [.. analyses.Distinct().Order()];
        Engine = string.IsNullOrWhiteSpace(engine) ? null : engine.Trim();
    }

    public static JobOptions Default { get; } = new(null, null, null);

    /// <summary>BCP 47 language tag such as <c>en-US</c>; null lets the engine use its default.</summary>
    public string? Language { get; }

    /// <summary>Analyses to run, distinct and in a stable order.</summary>
    public IReadOnlyList<AnalysisKind> Analyses { get; }

    /// <summary>Transcription engine name; null uses the configured default.</summary>
    public string? Engine { get; }

    /// <summary>The job's own webhook, told of its end; null without one.</summary>
    public JobWebhook? Webhook { get; }

    /// <summary>PII redaction of the transcript (and of the audio on request); null without.</summary>
    public PiiRedaction? Redaction { get; }

    /// <summary>Custom vocabulary: terms the engine should know and spell as given.</summary>
    public IReadOnlyList<string> Vocabulary { get; }

    /// <summary>Vocabulary terms as kept: trimmed, none empty, each once whatever its case (the first spelling wins).</summary>
    public static IReadOnlyList<string> Terms(IEnumerable<string>? terms) =>
        terms is null ? [] : [.. terms.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];

    public const int MaxVocabularyTerms = 1000;
    public const int MaxVocabularyTermLength = 100;

    /// <summary>Speaker diarization (speakerLabels); null without.</summary>
    public SpeakerLabels? Speakers { get; }

    /// <summary>Fillers, profanity and the range transcribed.</summary>
    public TranscriptOptions Transcript { get; }

    public bool Equals(JobOptions? other) =>
        other is not null
        && Language == other.Language
        && Engine == other.Engine
        && Equals(Webhook, other.Webhook)
        && Equals(Redaction, other.Redaction)
        && Transcript == other.Transcript
        && Speakers == other.Speakers
        && Vocabulary.SequenceEqual(other.Vocabulary)
        && Analyses.SequenceEqual(other.Analyses);

    public override int GetHashCode() => HashCode.Combine(Language, Engine, Analyses.Count);
}
