namespace MediaPlatform.Domain.Common;

/// <summary>One page of a keyset-paginated list and the cursor of the next page (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, KeysetCursor? Next);
