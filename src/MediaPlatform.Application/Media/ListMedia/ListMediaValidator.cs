using FluentValidation;
using MediaPlatform.Application.Common.Paging;

namespace MediaPlatform.Application.Media.ListMedia;

internal sealed class ListMediaValidator : AbstractValidator<ListMediaQuery>
{
    public ListMediaValidator()
    {
        RuleFor(q => q.Limit).ValidLimit();
        RuleFor(q => q.Cursor).ValidCursor();
        RuleFor(q => q.Status).IsInEnum();
    }
}
