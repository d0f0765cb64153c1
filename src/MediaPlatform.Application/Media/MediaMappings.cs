using Mapster;
using MediaPlatform.Domain.Media;

namespace MediaPlatform.Application.Media;

/// <summary>Mapster configuration of the Media module.</summary>
public sealed class MediaMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.NewConfig<MediaAsset, MediaAssetDto>()
            .Map(d => d.Id, s => s.Id.Value)
            .Map(d => d.FileName, s => s.OriginalFileName)
            .Map(d => d.Url, s => s.SourceUrl)
            .Map(d => d.DurationSeconds, s => s.Duration == null ? (double?)null : Math.Round(s.Duration.Value.TotalSeconds, 3))
            .Ignore(d => d.ExpiresAt); // the tenant's retention: see RetentionMapping
    }
}
