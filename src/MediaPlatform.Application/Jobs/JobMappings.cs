using Mapster;
using MediaPlatform.Domain.Jobs;

namespace MediaPlatform.Application.Jobs;

/// <summary>Mapster configuration of the Jobs module.</summary>
public sealed class JobMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        // An immutable record built by the mapping below; reuse it as it is.
        config.NewConfig<JobErrorDto, JobErrorDto>().MapWith(s => s);
        config.NewConfig<JobWebhookDto, JobWebhookDto>().MapWith(s => s);
        config.NewConfig<Job, JobDto>()
            .Map(d => d.Id, s => s.Id.Value)
            .Map(d => d.MediaId, s => s.MediaAssetId.Value)
            // Through methods of the whole job, not member chains (s.Options.X): Mapster null-propagates a chain and
            // reads the declaring type's nullable context, not the member's, so it took Analyses for a value type.
            .Map(d => d.Language, s => LanguageOf(s))
            .Map(d => d.Analyses, s => AnalysesOf(s))
            .Map(d => d.Engine, s => EngineOf(s))
            .Map(d => d.Webhook, s => JobWebhookDto.Of(s))
            .Map(d => d.Vocabulary, s => VocabularyOf(s))
            .Map(d => d.SpeakerLabels, s => LabelsSpeakers(s))
            .Map(d => d.SpeakersExpected, s => ExpectedSpeakersOf(s))
            .Map(d => d.MinSpeakers, s => MinSpeakersOf(s))
            .Map(d => d.MaxSpeakers, s => MaxSpeakersOf(s))
            .Map(d => d.Disfluencies, s => TranscriptOf(s).Disfluencies)
            .Map(d => d.FilterProfanity, s => TranscriptOf(s).FilterProfanity)
            .Map(d => d.AudioStartFrom, s => TranscriptOf(s).AudioStartFrom)
            .Map(d => d.AudioEndAt, s => TranscriptOf(s).AudioEndAt)
            .Map(d => d.RedactPii, s => RedactsPii(s))
            .Map(d => d.RedactPiiPolicies, s => PiiPoliciesOf(s))
            .Map(d => d.RedactPiiSub, s => PiiSubstitutionOf(s))
            .Map(d => d.KeepUnredacted, s => KeepsUnredacted(s))
            .Map(d => d.Error, s => s.ErrorCode == null ? null : new JobErrorDto(s.ErrorCode, s.ErrorMessage ?? string.Empty))
            .Ignore(d => d.ExpiresAt) // the tenant's retention: see RetentionMapping
            .Ignore(d => d.QueuePosition); // read on its own by GetJobHandler
    }

    private static string? LanguageOf(Job job) => job.Options.Language;

    private static IReadOnlyList<Domain.Analyses.AnalysisKind> AnalysesOf(Job job) => job.Options.Analyses;

    private static string? EngineOf(Job job) => job.Options.Engine;

    private static TranscriptOptions TranscriptOf(Job job) => job.Options.Transcript;

    private static IReadOnlyList<string> VocabularyOf(Job job) => job.Options.Vocabulary;

    private static bool LabelsSpeakers(Job job) => job.Options.Speakers is not null;

    private static int? ExpectedSpeakersOf(Job job) => job.Options.Speakers?.Expected;

    private static int? MinSpeakersOf(Job job) => job.Options.Speakers?.Min;

    private static int? MaxSpeakersOf(Job job) => job.Options.Speakers?.Max;

    private static bool RedactsPii(Job job) => job.Options.Redaction is not null;

    private static IReadOnlyList<string> PiiPoliciesOf(Job job) =>
        job.Options.Redaction is { } redaction ? [.. redaction.Policies.Select(SubmitJob.PiiRedactionRequest.NameOf)] : [];

    private static string? PiiSubstitutionOf(Job job) =>
        job.Options.Redaction is { } redaction ? SubmitJob.PiiRedactionRequest.NameOf(redaction.Substitution) : null;

    private static bool KeepsUnredacted(Job job) => job.Options.Redaction?.KeepUnredacted == true;
}
