using MapsterMapper;
using MediaPlatform.Application.Jobs;
using MediaPlatform.Application.Media;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;

namespace MediaPlatform.Application.Common.Tenancy;

/// <summary>Maps jobs and media with the expiry their tenant's retention gives them.</summary>
internal static class RetentionMapping
{
    public static JobDto ToJobDto(this IMapper mapper, Job job, ICurrentTenant tenant) =>
        mapper.Map<JobDto>(job) with { ExpiresAt = tenant.Limits.ExpiryOf(job.CreatedAt) };

    public static MediaAssetDto ToMediaDto(this IMapper mapper, MediaAsset media, ICurrentTenant tenant) =>
        mapper.Map<MediaAssetDto>(media) with { ExpiresAt = tenant.Limits.ExpiryOf(media.CreatedAt) };
}
