using FluentValidation;

namespace MediaPlatform.Application.Transcriptions.GetSubtitles;

internal sealed class GetSubtitlesValidator : AbstractValidator<GetSubtitlesQuery>
{
    public GetSubtitlesValidator()
    {
        RuleFor(q => q.Format).IsInEnum();
        When(q => q.Options is not null, () =>
        {
            RuleFor(q => q.Options!.CharsPerCaption).InclusiveBetween(CaptionOptions.MinChars, CaptionOptions.MaxChars)
                .OverridePropertyName("charsPerCaption")
                .WithMessage($"charsPerCaption must be between {CaptionOptions.MinChars} and {CaptionOptions.MaxChars}.");
            RuleFor(q => q.Options!.MaxLinesPerCue).InclusiveBetween(1, CaptionOptions.MaxLines)
                .OverridePropertyName("maxLinesPerCue")
                .WithMessage($"maxLinesPerCue must be between 1 and {CaptionOptions.MaxLines}.");
            RuleFor(q => q.Options!.MaxCueSeconds).InclusiveBetween(CaptionOptions.MinSeconds, CaptionOptions.MaxSeconds)
                .OverridePropertyName("maxCueSeconds")
                .WithMessage($"maxCueSeconds must be between {CaptionOptions.MinSeconds:0} and {CaptionOptions.MaxSeconds:0}.");
        });
    }
}
