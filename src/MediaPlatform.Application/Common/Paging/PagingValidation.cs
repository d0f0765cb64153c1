using FluentValidation;

namespace MediaPlatform.Application.Common.Paging;

/// <summary>The rules every list query shares: a limit within bounds and a cursor this API issued.</summary>
public static class PagingValidation
{
    public static IRuleBuilderOptions<T, int> ValidLimit<T>(this IRuleBuilder<T, int> rule) =>
        rule.InclusiveBetween(1, PagingRules.MaxLimit);

    public static IRuleBuilderOptions<T, string?> ValidCursor<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(c => c is null || CursorCodec.TryDecode(c, out _))
            .WithMessage("cursor is not a cursor this API returned; pass nextCursor from the previous page unchanged.");
}
