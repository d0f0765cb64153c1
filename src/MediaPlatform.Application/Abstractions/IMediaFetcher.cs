namespace MediaPlatform.Application.Abstractions;

/// <summary>Downloads URL media into the blob store: streamed, size-limited, time-limited, every redirect checked by <see cref="IUrlGuard"/>.</summary>
public interface IMediaFetcher
{
    /// <summary>Throws <see cref="Processing.MediaProcessingException"/> when the media cannot be fetched.</summary>
    Task<FetchedMedia> FetchAsync(Uri url, CancellationToken cancellationToken = default);
}
