using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Application.Processing.Steps;

/// <summary>Media registered by URL: streamed into the store (size and time limited by the fetcher), then saved as stored.</summary>
internal sealed class FetchStep(IMediaFetcher fetcher, IBlobStore blobs, IUnitOfWork unitOfWork, ICurrentTenant tenant, ITenantUsage usage, TimeProvider time) : IJobStep
{
    public string Name => "fetch";

    public int Weight => 2;

    public bool IsPending(JobContext context) => context.Transcribes && context.Transcription is null && context.Asset.Status == MediaStatus.Registered;

    public async Task RunAsync(JobContext context, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var asset = context.Asset;
        var fetched = await fetcher.FetchAsync(new Uri(asset.SourceUrl!), cancellationToken);
        if (tenant.Limits.StorageBytes is { } quota && tenant.TenantId is { } tenantId)
        {
            var used = (await usage.GetAsync(tenantId, cancellationToken)).StorageBytes;
            if (used + fetched.Blob.SizeBytes > quota)
            {
                await blobs.DeleteAsync(fetched.Blob.Key, CancellationToken.None);
                var full = TenantErrors.StorageFull(quota, used);
                throw new MediaProcessingException(full.Code, full.Message, isTransient: false);
            }
        }

        try
        {
            asset.MarkStored(fetched.ContentType, fetched.Blob.Key, fetched.Blob.SizeBytes, fetched.Blob.Sha256, time.GetUtcNow());
            await unitOfWork.SaveChangesAsync(cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            await blobs.DeleteAsync(fetched.Blob.Key, CancellationToken.None); // another job stored it first
            throw;
        }
        catch (LimitExceededException limit)
        {
            // Another upload took the room between the check above and this write: the store counted atomically.
            await blobs.DeleteAsync(fetched.Blob.Key, CancellationToken.None);
            throw new MediaProcessingException(limit.Error.Code, limit.Error.Message, isTransient: false);
        }
    }
}
