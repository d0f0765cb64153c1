using MediaPlatform.Domain.Common;

namespace MediaPlatform.Domain.Media;

/// <summary>Raised when probing first finds the media decodable (registered or stored -> ready): the <c>media.ready</c> webhook.</summary>
public sealed record MediaBecameReady(MediaAssetId MediaId, DateTimeOffset OccurredAt) : IDomainEvent;
