using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Media;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Persistence.Repositories;

internal sealed class MediaAssetRepository(MediaPlatformDbContext db) : IMediaAssetRepository
{
    public void Add(MediaAsset media) => db.MediaAssets.Add(media);

    public void Remove(MediaAsset media) => db.MediaAssets.Remove(media);

    public Task<MediaAsset?> GetAsync(MediaAssetId id, CancellationToken cancellationToken = default) =>
        db.MediaAssets.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);

    public Task ReloadAsync(MediaAsset media, CancellationToken cancellationToken = default) =>
        db.Entry(media).ReloadAsync(cancellationToken);

    public Task<bool> ExistsAsync(MediaAssetId id, CancellationToken cancellationToken = default) =>
        db.MediaAssets.AnyAsync(m => m.Id == id, cancellationToken);

    public async Task<Page<MediaAsset>> ListAsync(MediaStatus? status, int limit, KeysetCursor? after, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var query = KeysetPagination.After(db.MediaAssets, "media_asset", after).AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(m => m.Status == s);
        }

        var rows = await query
            .OrderByDescending(m => m.CreatedAt)
            .ThenByDescending(m => m.Id)
            .Take(limit + 1)
            .ToListAsync(cancellationToken);
        return KeysetPagination.ToPage(rows, limit, m => new KeysetCursor(m.CreatedAt, m.Id.Value));
    }
}
