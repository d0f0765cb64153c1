using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Media;
using MediatR;

namespace MediaPlatform.Application.Media.GetMediaContent;

/// <summary>The stored bytes of a media asset, for a player (ranges are served by the API).</summary>
public sealed record GetMediaContentQuery(Guid MediaId) : IQuery<Result<MediaContent>>;

/// <summary>The bytes, open for reading, and how to label them: audio/video types as stored, anything else as bytes.</summary>
public sealed record MediaContent(Stream Content, string ContentType, string FileName);

internal sealed class GetMediaContentHandler(IMediaAssetRepository media, IBlobStore blobs) : IRequestHandler<GetMediaContentQuery, Result<MediaContent>>
{
    public async Task<Result<MediaContent>> Handle(GetMediaContentQuery request, CancellationToken cancellationToken)
    {
        var id = new MediaAssetId(request.MediaId);
        if (await media.ReadAsync(id, cancellationToken) is not { } asset)
        {
            return MediaErrors.NotFound(id);
        }

        if (asset.StorageKey is not { } key)
        {
            return Error.Conflict("media.not_stored", $"Media '{id}' has no stored bytes yet (a URL still being fetched).");
        }

        // Never a type a browser would run (text/html...): only audio and video as registered.
        var type = asset.ContentType is { } t && (t.StartsWith("audio/", StringComparison.OrdinalIgnoreCase) || t.StartsWith("video/", StringComparison.OrdinalIgnoreCase))
            ? t
            : "application/octet-stream";
        return new MediaContent(await blobs.OpenReadAsync(key, cancellationToken), type, asset.OriginalFileName ?? $"{id}");
    }
}
