using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Media;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Persistence.Repositories;

internal sealed class MediaAssetRepository(MediaPlatformDbContext db) : IMediaAssetRepository
{
    // Every job submission and GET /media/{id} read it: compiled once, not tracked.
    private static readonly Func<MediaPlatformDbContext, MediaAssetId, CancellationToken, Task<MediaAsset?>> _read =
        EF.CompileAsyncQuery((MediaPlatformDbContext context, MediaAssetId id, CancellationToken _) =>
            context.MediaAssets.AsNoTracking().FirstOrDefault(m => m.Id == id));

    public void Add(MediaAsset media) => db.MediaAssets.Add(media);

    public void Remove(MediaAsset media) => db.MediaAssets.Remove(media);

    public Task<MediaAsset?> GetAsync(MediaAssetId id, CancellationToken cancellationToken = default) =>
        db.MediaAssets.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);

    public Task<MediaAsset?> ReadAsync(MediaAssetId id, CancellationToken cancellationToken = default) => _read(db, id, cancellationToken);

    public async Task<IReadOnlyDictionary<MediaAssetId, MediaAsset>> ReadManyAsync(
        IReadOnlyCollection<MediaAssetId> ids, CancellationToken cancellationToken = default) =>
        await db.MediaAssets.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);

    public async Task ReloadAsync(MediaAsset media, CancellationToken cancellationToken = default)
    {
        await db.Entry(media).ReloadAsync(cancellationToken);
        // The events raised by the changes just discarded announce nothing that happened (another writer's did).
        media.ClearDomainEvents();
    }

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
