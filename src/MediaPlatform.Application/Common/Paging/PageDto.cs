namespace MediaPlatform.Application.Common.Paging;

/// <summary>One page of a list. Pass <see cref="NextCursor"/> back as <c>cursor</c> for the next page; null means this was the last.</summary>
public sealed record PageDto<T>(IReadOnlyList<T> Items, string? NextCursor)
{
    /// <summary>A repository's page, its items mapped, its next position encoded as the cursor clients pass back.</summary>
    public static PageDto<T> From<TSource>(Domain.Common.Page<TSource> page, Func<TSource, T> map)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new PageDto<T>(page.Items.Select(map).ToList(), page.Next is { } next ? CursorCodec.Encode(next) : null);
    }
}
