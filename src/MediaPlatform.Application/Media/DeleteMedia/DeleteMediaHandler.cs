using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediatR;

namespace MediaPlatform.Application.Media.DeleteMedia;

internal sealed class DeleteMediaHandler(IMediaAssetRepository media, IJobRepository jobs, IBlobStore blobs, ITransactionCallbacks callbacks)
    : IRequestHandler<DeleteMediaCommand, Result>
{
    public async Task<Result> Handle(DeleteMediaCommand request, CancellationToken cancellationToken)
    {
        var id = new MediaAssetId(request.MediaId);
        var asset = await media.GetAsync(id, cancellationToken);
        if (asset is null)
        {
            return MediaErrors.NotFound(id);
        }

        if (await jobs.AnyActiveForMediaAsync(id, cancellationToken))
        {
            return MediaErrors.InUse(id);
        }

        foreach (var job in await jobs.ListAllForMediaAsync(id, cancellationToken))
        {
            jobs.Remove(job);
        }

        media.Remove(asset);
        if (asset.StorageKey is { } key)
        {
            // Only once the row is gone: a failed delete must not leave a row pointing at missing bytes.
            callbacks.OnCommitted(ct => blobs.DeleteAsync(key, ct));
        }

        return Result.Success();
    }
}
