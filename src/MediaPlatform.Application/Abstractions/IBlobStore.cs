using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Abstractions;

/// <summary>
/// Where media bytes live: a folder on this machine, or any S3-compatible store (<c>Storage__Provider</c>). Nothing
/// here hands out a local path: bytes stream in and out, and a step that needs a file for an external program copies
/// the blob into its job's scratch folder (<see cref="CopyToFileAsync"/>). Writes are hashed and counted while they are
/// copied, never held in memory whole, and a refused or interrupted write leaves nothing behind.
/// </summary>
public interface IBlobStore
{
    /// <summary>
    /// Stores <paramref name="content"/> under a new key. Fails with <see cref="ErrorType.TooLarge"/> past
    /// <paramref name="maxBytes"/> and <see cref="ErrorType.InsufficientStorage"/> when the store is full.
    /// </summary>
    Task<Result<StoredBlob>> SaveAsync(Stream content, long maxBytes, CancellationToken cancellationToken = default);

    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes the blob; deleting a missing key is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The blob's size in bytes, or null when there is no such blob.</summary>
    Task<long?> SizeAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the blob readable at <paramref name="path"/> (which must not exist) for an external program: a download
    /// from a remote store, a link to the file for the local one.
    /// </summary>
    Task CopyToFileAsync(string key, string path, CancellationToken cancellationToken = default);
}
