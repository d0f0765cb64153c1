using FluentValidation;
using MediaPlatform.Application.Common.Paging;

namespace MediaPlatform.Application.Jobs.ListJobs;

internal sealed class ListJobsValidator : AbstractValidator<ListJobsQuery>
{
    public ListJobsValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, PagingRules.MaxLimit);
        RuleFor(q => q.Cursor)
            .Must(c => CursorCodec.TryDecode(c, out _))
            .When(q => q.Cursor is not null)
            .WithMessage("cursor is not a cursor this API returned; pass nextCursor from the previous page unchanged.");
        RuleFor(q => q.CreatedBefore)
            .GreaterThan(q => q.CreatedAfter)
            .When(q => q.CreatedAfter is not null && q.CreatedBefore is not null)
            .WithMessage("createdBefore must be later than createdAfter.");
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.Kind).IsInEnum();
    }
}
