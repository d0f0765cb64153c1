using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;

namespace MediaPlatform.Application.Jobs.SubmitJob;

/// <summary>Queue a job on registered media.</summary>
public sealed record SubmitJobCommand(
    Guid MediaId,
    JobKind Kind = JobKind.Transcription,
    string? Language = null,
    IReadOnlyList<AnalysisKind>? Analyses = null,
    string? Engine = null,
    int Priority = Job.DefaultPriority,
    JobWebhookRequest? Webhook = null,
    PiiRedactionRequest? Pii = null,
    TranscriptOptions? Transcript = null,
    SpeakerLabelsRequest? Speakers = null,
    IReadOnlyList<string>? Vocabulary = null,
    Guid? VocabularyId = null) : ICommand<Result<JobDto>>;

/// <summary>speakerLabels and its counts as sent; checked by <see cref="SubmitJobValidator"/>.</summary>
public sealed record SpeakerLabelsRequest(bool? SpeakerLabels, int? SpeakersExpected, int? MinSpeakers, int? MaxSpeakers)
{
    public SpeakerLabels? ToLabels() => SpeakerLabels == true ? new SpeakerLabels(SpeakersExpected, MinSpeakers, MaxSpeakers) : null;
}
