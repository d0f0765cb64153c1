namespace MediaPlatform.Domain.Common;

/// <summary>
/// Position in a list ordered newest first by (created_at, id): the next page holds rows strictly
/// before it. Stable under concurrent inserts, unlike offsets.
/// </summary>
public readonly record struct KeysetCursor(DateTimeOffset CreatedAt, Guid Id);
