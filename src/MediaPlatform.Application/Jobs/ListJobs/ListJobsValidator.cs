using FluentValidation;
using MediaPlatform.Application.Common.Paging;

namespace MediaPlatform.Application.Jobs.ListJobs;

internal sealed class ListJobsValidator : AbstractValidator<ListJobsQuery>
{
    public ListJobsValidator()
    {
        RuleFor(q => q.Limit).ValidLimit();
        RuleFor(q => q.Cursor).ValidCursor();
        RuleFor(q => q.CreatedBefore)
            .GreaterThan(q => q.CreatedAfter)
            .When(q => q.CreatedAfter is not null && q.CreatedBefore is not null)
            .WithMessage("createdBefore must be later than createdAfter.");
        RuleFor(q => q.Status).IsInEnum();
        RuleFor(q => q.Kind).IsInEnum();
    }
}
