using FluentValidation;
using MediaPlatform.Application.Common.Paging;

namespace MediaPlatform.Application.Media.ListMedia;

internal sealed class ListMediaValidator : AbstractValidator<ListMediaQuery>
{
    public ListMediaValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, PagingRules.MaxLimit);
        RuleFor(q => q.Cursor)
            .Must(c => CursorCodec.TryDecode(c, out _))
            .When(q => q.Cursor is not null)
            .WithMessage("cursor is not a cursor this API returned; pass nextCursor from the previous page unchanged.");
        RuleFor(q => q.Status).IsInEnum();
    }
}
