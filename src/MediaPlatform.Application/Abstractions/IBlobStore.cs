using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Abstractions;

/// <summary>
/// Where media bytes live. Writes stream: the content is hashed and counted while it is copied, never held in
/// memory, and a refused or interrupted write leaves nothing behind.
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
}
