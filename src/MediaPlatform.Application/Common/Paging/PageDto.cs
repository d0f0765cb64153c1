namespace MediaPlatform.Application.Common.Paging;

/// <summary>One page of a list. Pass <see cref="NextCursor"/> back as <c>cursor</c> for the next page; null means this was the last.</summary>
public sealed record PageDto<T>(IReadOnlyList<T> Items, string? NextCursor);
