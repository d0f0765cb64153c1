using MediaPlatform.Domain.Media;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MediaPlatform.Infrastructure.Persistence.Converters;

/// <summary>Stores a <see cref="MediaAssetId"/> as its uuid.</summary>
internal sealed class MediaAssetIdConverter() : ValueConverter<MediaAssetId, Guid>(v => v.Value, v => new MediaAssetId(v));
