using System.Text.RegularExpressions;

namespace MediaPlatform.Infrastructure.Storage;

/// <summary>
/// Blob keys, the same in every store: <c>yyyy/MM/dd/&lt;uuid&gt;</c>. They are made here and stored in the database;
/// anything else is refused rather than joined to a path or sent to a bucket.
/// </summary>
internal static partial class BlobKeys
{
    public static string New(TimeProvider time) => $"{time.GetUtcNow():yyyy'/'MM'/'dd}/{Guid.CreateVersion7():N}";

    public static bool IsValid(string? key) => KeyPattern().IsMatch(key ?? string.Empty);

    public static string Checked(string? key) =>
        IsValid(key) ? key! : throw new ArgumentException($"'{key}' is not a blob key of this store.", nameof(key));

    [GeneratedRegex("^[0-9]{4}/[0-9]{2}/[0-9]{2}/[0-9a-f]{32}$")]
    private static partial Regex KeyPattern();
}

/// <summary>What the leftover sweeper asks of a store: the writes that never finished, and the blobs it holds.</summary>
internal interface IBlobStoreMaintenance : Application.Abstractions.IBlobStore
{
    /// <summary>Removes writes (partial files, unfinished multipart uploads) started before <paramref name="before"/>; returns how many.</summary>
    Task<int> RemoveAbandonedWritesAsync(DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>The keys of blobs last written before <paramref name="before"/>.</summary>
    IAsyncEnumerable<string> ListKeysAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
