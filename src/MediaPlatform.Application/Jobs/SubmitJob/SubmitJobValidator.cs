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
    }
}
