using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Jobs;

namespace MediaPlatform.Application.Jobs;

/// <summary>A job as clients see it.</summary>
public sealed record JobDto
{
    public Guid Id { get; init; }

    public Guid MediaId { get; init; }

    public JobKind Kind { get; init; }

    public JobStatus Status { get; init; }

    /// <summary>Spoken language requested, or null for the engine's default.</summary>
    public string? Language { get; init; }

    public IReadOnlyList<AnalysisKind> Analyses { get; init; } = [];

    public string? Engine { get; init; }

    public int Priority { get; init; }

    /// <summary>Percent done, 0 to 100.</summary>
    public int Progress { get; init; }

    public string? CurrentStep { get; init; }

    public int Attempts { get; init; }

    public int MaxAttempts { get; init; }

    public DateTimeOffset RunAfter { get; init; }

    public JobErrorDto? Error { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// For a queued job read on its own (<c>GET /api/v1/jobs/{id}</c>): its 1-based place among the due queued jobs of
    /// every tenant, by priority then due time. Approximate: tenant fairness and per-tenant limits can let a job go
    /// sooner or later than this; counted up to 1,000 jobs ahead (1001 means more) and refreshed at most every 2 s.
    /// Null otherwise.
    /// </summary>
    public long? QueuePosition { get; init; }

    /// <summary>The job's own webhook (<c>webhook</c> on submit), told of its end; null without one.</summary>
    public JobWebhookDto? Webhook { get; init; }

    /// <summary>The job's custom vocabulary.</summary>
    public IReadOnlyList<string> Vocabulary { get; init; } = [];

    /// <summary>Whether speakers are labelled (speakerLabels), with the count asked for when given.</summary>
    public bool SpeakerLabels { get; init; }

    public int? SpeakersExpected { get; init; }

    public int? MinSpeakers { get; init; }

    public int? MaxSpeakers { get; init; }

    /// <summary>Whether fillers (um, uh...) are kept; false drops them (the default).</summary>
    public bool Disfluencies { get; init; }

    /// <summary>Whether profanity is masked (first letter and asterisks).</summary>
    public bool FilterProfanity { get; init; }

    /// <summary>Where transcription starts in the media, in ms; null for its start.</summary>
    public long? AudioStartFrom { get; init; }

    /// <summary>Where transcription stops in the media, in ms; null for its end.</summary>
    public long? AudioEndAt { get; init; }

    /// <summary>Whether the transcript is PII-redacted (<c>redactPii</c> on submit).</summary>
    public bool RedactPii { get; init; }

    /// <summary>The PII policies redacted (empty without redaction); the names looked for are not shown.</summary>
    public IReadOnlyList<string> RedactPiiPolicies { get; init; } = [];

    /// <summary><c>entity_name</c> or <c>hash</c>; null without redaction.</summary>
    public string? RedactPiiSub { get; init; }

    /// <summary>Whether the unredacted transcript is kept (readable with the pii scope).</summary>
    public bool KeepUnredacted { get; init; }

    /// <summary>When the retention sweeper deletes this job and its results (the tenant's retentionDays); null when kept.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
