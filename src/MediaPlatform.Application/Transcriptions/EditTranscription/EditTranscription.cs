using FluentValidation;
using MapsterMapper;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Transcriptions;
using MediatR;

namespace MediaPlatform.Application.Transcriptions.EditTranscription;

/// <summary>New text for one segment (its 0-based index in the transcript).</summary>
public sealed record SegmentEditDto(int Index, string Text);

/// <summary>
/// Correct segment texts and name speakers (a name of null removes it). <paramref name="IfMatch"/> holds the
/// revisions the client read (its If-Match); null stands for <c>*</c>, any revision.
/// </summary>
public sealed record EditTranscriptionCommand(
    Guid TranscriptionId,
    IReadOnlyList<SegmentEditDto>? Segments,
    IReadOnlyDictionary<string, string?>? Speakers,
    IReadOnlyCollection<int>? IfMatch) : ICommand<Result<TranscriptionDto>>;

internal sealed class EditTranscriptionValidator : AbstractValidator<EditTranscriptionCommand>
{
    public const int MaxSegments = 10_000;
    public const int MaxSegmentText = 10_000;
    public const int MaxSpeakers = 100;
    public const int MaxSpeakerName = 100;

    public EditTranscriptionValidator()
    {
        RuleFor(c => c)
            .Must(c => c.Segments is { Count: > 0 } || c.Speakers is { Count: > 0 })
            .WithName("body")
            .WithMessage("Send segments ([{ index, text }]) to correct, speakers ({ \"S1\": \"Alice\" }) to name, or both.");
        RuleFor(c => c.Segments!.Count)
            .LessThanOrEqualTo(MaxSegments)
            .When(c => c.Segments is not null)
            .OverridePropertyName("segments")
            .WithMessage($"segments: at most {MaxSegments} edits in one request.");
        RuleForEach(c => c.Segments).ChildRules(segment =>
        {
            segment.RuleFor(s => s.Index).GreaterThanOrEqualTo(0).WithMessage("index must be 0 or more (the segment's position, from 0).");
            segment.RuleFor(s => s.Text)
                .NotNull().WithMessage("text is required (an empty string removes the segment's words).")
                .MaximumLength(MaxSegmentText).WithMessage($"text must be at most {MaxSegmentText} characters.")
                .Must(t => t is null || !t.Any(char.IsControl)).WithMessage("text must not contain control characters (line breaks included).");
        }).OverridePropertyName("segments");
        RuleFor(c => c.Speakers!.Count)
            .LessThanOrEqualTo(MaxSpeakers)
            .When(c => c.Speakers is not null)
            .OverridePropertyName("speakers")
            .WithMessage($"speakers: at most {MaxSpeakers} names.");
        RuleForEach(c => c.Speakers).ChildRules(speaker =>
        {
            speaker.RuleFor(s => s.Key)
                .Matches("^[A-Za-z0-9_-]{1,32}$").WithMessage("a speaker label is 1-32 letters, digits, '_' or '-' (S1, S2...).");
            speaker.RuleFor(s => s.Value)
                .MaximumLength(MaxSpeakerName).WithMessage($"a speaker name is at most {MaxSpeakerName} characters.")
                .Must(n => n is null || !n.Any(char.IsControl)).WithMessage("a speaker name must not contain control characters.");
        }).OverridePropertyName("speakers");
    }
}

internal sealed class EditTranscriptionHandler(ITranscriptionRepository transcriptions, TimeProvider time, IMapper mapper)
    : IRequestHandler<EditTranscriptionCommand, Result<TranscriptionDto>>
{
    public async Task<Result<TranscriptionDto>> Handle(EditTranscriptionCommand request, CancellationToken cancellationToken)
    {
        var id = new TranscriptionId(request.TranscriptionId);
        var transcription = await transcriptions.GetAsync(id, cancellationToken);
        if (transcription is null)
        {
            return TranscriptionErrors.NotFound(id);
        }

        if (request.IfMatch is { } expected && !expected.Contains(transcription.Revision))
        {
            return TranscriptionErrors.RevisionStale(transcription.Revision);
        }

        var edited = transcription.Edit(
            [.. (request.Segments ?? []).Select(s => new SegmentEdit(s.Index, s.Text))],
            request.Speakers ?? new Dictionary<string, string?>(),
            time.GetUtcNow());
        if (edited.IsFailure)
        {
            return edited.Error!;
        }

        transcriptions.AddRevision(edited.Value);
        return mapper.Map<TranscriptionDto>(transcription);
    }
}
