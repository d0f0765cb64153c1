using FluentValidation;

namespace MediaPlatform.Application.Transcriptions.GetSubtitles;

internal sealed class GetSubtitlesValidator : AbstractValidator<GetSubtitlesQuery>
{
    public GetSubtitlesValidator() => RuleFor(q => q.Format).IsInEnum();
}
