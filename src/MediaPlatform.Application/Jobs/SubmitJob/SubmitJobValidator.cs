using FluentValidation;
using MediaPlatform.Domain.Jobs;

namespace MediaPlatform.Application.Jobs.SubmitJob;

internal sealed class SubmitJobValidator : AbstractValidator<SubmitJobCommand>
{
    public SubmitJobValidator()
    {
        RuleFor(c => c.MediaId).NotEmpty().WithMessage("mediaId is required.");
        RuleFor(c => c.Kind).IsInEnum();
        RuleFor(c => c.Language)
            .MaximumLength(JobOptions.MaxLanguageLength)
            .Matches("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
            .When(c => c.Language is not null)
            .WithMessage("language must be a BCP 47 tag such as 'en' or 'en-US'.");
        RuleFor(c => c.Engine)
            .MaximumLength(JobOptions.MaxEngineLength)
            .Matches("^[a-z0-9][a-z0-9._-]*$")
            .When(c => c.Engine is not null)
            .WithMessage("engine must be an engine name such as 'pocketsphinx' (lower-case letters, digits, '.', '_' or '-').");
        RuleForEach(c => c.Analyses).IsInEnum();
        RuleFor(c => c.Analyses)
            .NotEmpty()
            .When(c => c.Kind == JobKind.Analysis)
            .WithMessage("An analysis job needs at least one entry in analyses.");
        RuleFor(c => c.Priority).InclusiveBetween(Job.MinPriority, Job.MaxPriority);
        RuleFor(c => c.Transcript!.AudioStartFrom)
            .InclusiveBetween(0, TranscriptOptions.MaxMilliseconds)
            .When(c => c.Transcript?.AudioStartFrom is not null)
            .OverridePropertyName("audioStartFrom")
            .WithMessage($"audioStartFrom is where to start, in milliseconds from 0 to {TranscriptOptions.MaxMilliseconds}.");
        RuleFor(c => c.Transcript!.AudioEndAt)
            .Must((c, end) => end > (c.Transcript!.AudioStartFrom ?? 0) && end <= TranscriptOptions.MaxMilliseconds)
            .When(c => c.Transcript?.AudioEndAt is not null)
            .OverridePropertyName("audioEndAt")
            .WithMessage("audioEndAt is where to stop, in milliseconds, after audioStartFrom (and at most 24 hours).");
        RuleFor(c => c.Transcript)
            .Must(t => t is null || (t.AudioStartFrom is null && t.AudioEndAt is null))
            .When(c => c.Kind == JobKind.Analysis)
            .OverridePropertyName("audioStartFrom")
            .WithMessage("An analysis job transcribes nothing: audioStartFrom and audioEndAt apply to transcription jobs.");
        RuleFor(c => c.Vocabulary!.Count)
            .LessThanOrEqualTo(JobOptions.MaxVocabularyTerms)
            .When(c => c.Vocabulary is not null)
            .OverridePropertyName("vocabulary")
            .WithMessage($"vocabulary: at most {JobOptions.MaxVocabularyTerms} terms.");
        RuleForEach(c => c.Vocabulary)
            .Must(Vocabularies.VocabularyRules.IsTerm)
            .When(c => c.Vocabulary is not null)
            .OverridePropertyName("vocabulary")
            .WithMessage(Vocabularies.VocabularyRules.TermMessage);
        RuleFor(c => c.Speakers!.SpeakersExpected)
            .InclusiveBetween(1, SpeakerLabels.Limit)
            .When(c => c.Speakers?.SpeakersExpected is not null)
            .OverridePropertyName("speakersExpected")
            .WithMessage($"speakersExpected is between 1 and {SpeakerLabels.Limit}.");
        RuleFor(c => c.Speakers!.MinSpeakers)
            .InclusiveBetween(1, SpeakerLabels.Limit)
            .When(c => c.Speakers?.MinSpeakers is not null)
            .OverridePropertyName("minSpeakers")
            .WithMessage($"minSpeakers is between 1 and {SpeakerLabels.Limit}.");
        RuleFor(c => c.Speakers!.MaxSpeakers)
            .Must((c, max) => max >= (c.Speakers!.MinSpeakers ?? 1) && max <= SpeakerLabels.Limit)
            .When(c => c.Speakers?.MaxSpeakers is not null)
            .OverridePropertyName("maxSpeakers")
            .WithMessage($"maxSpeakers is at least minSpeakers (or 1) and at most {SpeakerLabels.Limit}.");
        RuleFor(c => c.Speakers!.SpeakerLabels)
            .Equal(true)
            .When(c => c.Speakers is { } s && (s.SpeakersExpected ?? s.MinSpeakers ?? s.MaxSpeakers) is not null)
            .OverridePropertyName("speakerLabels")
            .WithMessage("speakerLabels must be true for speakersExpected, minSpeakers or maxSpeakers to apply.");
        RuleFor(c => c.Speakers)
            .Must(s => s is not { SpeakersExpected: not null } || (s.MinSpeakers is null && s.MaxSpeakers is null))
            .OverridePropertyName("speakersExpected")
            .WithMessage("Give speakersExpected, or minSpeakers/maxSpeakers, not both.");
        RuleFor(c => c.Pii!.RedactPii)
            .Equal(true)
            .When(c => c.Pii is { } pii && (pii.Policies is not null || pii.Substitution is not null || pii.Names is not null || pii.KeepUnredacted == true))
            .OverridePropertyName("redactPii")
            .WithMessage("redactPii must be true for redactPiiPolicies, redactPiiSub, redactPiiNames or keepUnredacted to apply.");
        RuleForEach(c => c.Pii!.Policies)
            .Must(p => p is not null && PiiRedactionRequest.PolicyNames.ContainsKey(p))
            .When(c => c.Pii?.Policies is not null)
            .OverridePropertyName("redactPiiPolicies")
            .WithMessage((_, p) => $"'{p}' is not a PII policy; use {string.Join(", ", PiiRedactionRequest.PolicyNames.Keys)}.");
        RuleFor(c => c.Pii!.Substitution)
            .Must(s => s is null || PiiRedactionRequest.SubstitutionNames.ContainsKey(s))
            .When(c => c.Pii is not null)
            .OverridePropertyName("redactPiiSub")
            .WithMessage("redactPiiSub must be entity_name (the default: [EMAIL], [PHONE_NUMBER]...) or hash.");
        RuleFor(c => c.Pii!.Names!.Count)
            .LessThanOrEqualTo(PiiRedaction.MaxNames)
            .When(c => c.Pii?.Names is not null)
            .OverridePropertyName("redactPiiNames")
            .WithMessage($"redactPiiNames: at most {PiiRedaction.MaxNames} names.");
        RuleForEach(c => c.Pii!.Names)
            .Must(n => !string.IsNullOrWhiteSpace(n) && n.Length <= PiiRedaction.MaxNameLength && !n.Any(char.IsControl))
            .When(c => c.Pii?.Names is not null)
            .OverridePropertyName("redactPiiNames")
            .WithMessage($"a name is 1 to {PiiRedaction.MaxNameLength} characters without control characters.");
        RuleFor(c => c.Pii!.Names)
            .NotEmpty()
            .When(c => c.Pii?.Policies?.Contains("person_name") == true)
            .OverridePropertyName("redactPiiNames")
            .WithMessage("The person_name policy needs the names to look for in redactPiiNames.");
    }
}
