using MapsterMapper;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using MediatR;

namespace MediaPlatform.Application.Media.UploadMedia;

internal sealed class UploadMediaHandler(
    IBlobStore blobs,
    IMediaAssetRepository media,
    MediaLimits limits,
    ITransactionCallbacks callbacks,
    ICurrentTenant tenant,
    ITenantUsage usage,
    TimeProvider time,
    IMapper mapper) : IRequestHandler<UploadMediaCommand, Result<MediaAssetDto>>
{
    public async Task<Result<MediaAssetDto>> Handle(UploadMediaCommand request, CancellationToken cancellationToken)
    {
        if (!MediaContentTypes.IsAccepted(request.ContentType))
        {
            return Error.UnsupportedMediaType(
                "media.unsupported_type",
                $"'{request.ContentType}' is not audio or video. Upload an audio or video file (audio/*, video/*), or application/octet-stream to let the platform probe it.");
        }

        // The tenant's storage limit caps this upload at what is left of it.
        var maxBytes = limits.MaxUploadBytes;
        long? storageLimit = tenant.Limits.StorageBytes;
        long used = 0;
        if (storageLimit is { } quota)
        {
            used = (await usage.GetAsync(tenant.RequiredTenantId, cancellationToken)).StorageBytes;
            if (used >= quota)
            {
                return TenantErrors.StorageFull(quota, used);
            }

            maxBytes = Math.Min(maxBytes, quota - used);
        }

        var stored = await blobs.SaveAsync(request.Content, maxBytes, cancellationToken);
        if (stored.IsFailure)
        {
            return stored.Error!.Type == ErrorType.TooLarge && storageLimit is { } limit && maxBytes < limits.MaxUploadBytes
                ? TenantErrors.StorageFull(limit, used)
                : stored.Error!;
        }

        var blob = stored.Value;
        // If the row is never committed, the bytes must not stay behind.
        callbacks.OnFailed(ct => blobs.DeleteAsync(blob.Key, ct));

        var created = MediaAsset.FromUpload(
            request.FileName, MediaContentTypes.Normalize(request.ContentType), blob.Key, blob.SizeBytes, blob.Sha256, time.GetUtcNow());
        if (created.IsFailure)
        {
            return created.Error!;
        }

        media.Add(created.Value);
        return mapper.ToMediaDto(created.Value, tenant);
    }
}
