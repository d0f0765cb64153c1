using MediaPlatform.Domain.Common;

namespace MediaPlatform.Domain.Media;

/// <summary>Loads and stores <see cref="MediaAsset"/> aggregates; changes are committed by <see cref="IUnitOfWork"/>.</summary>
public interface IMediaAssetRepository
{
    void Add(MediaAsset media);

    void Remove(MediaAsset media);

    Task<MediaAsset?> GetAsync(MediaAssetId id, CancellationToken cancellationToken = default);

    /// <summary>For queries and checks: a snapshot of the media that the unit of work does not track or save.</summary>
    Task<MediaAsset?> ReadAsync(MediaAssetId id, CancellationToken cancellationToken = default);

    /// <summary>Snapshots of the media among <paramref name="ids"/> that exist (one query), by id.</summary>
    Task<IReadOnlyDictionary<MediaAssetId, MediaAsset>> ReadManyAsync(IReadOnlyCollection<MediaAssetId> ids, CancellationToken cancellationToken = default);

    /// <summary>Replaces the loaded state of <paramref name="media"/> with what is stored now (after losing a write race).</summary>
    Task ReloadAsync(MediaAsset media, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(MediaAssetId id, CancellationToken cancellationToken = default);

    /// <summary>Newest first, keyset paginated on (created_at, id).</summary>
    Task<Page<MediaAsset>> ListAsync(MediaStatus? status, int limit, KeysetCursor? after, CancellationToken cancellationToken = default);
}
