using MediaPlatform.Domain.Media;

namespace MediaPlatform.Domain.Jobs;

/// <summary>Filters of a job list; every one is optional. The created range is [CreatedAfter, CreatedBefore).</summary>
public sealed record JobListFilter(
    JobStatus? Status = null,
    JobKind? Kind = null,
    MediaAssetId? MediaAssetId = null,
    DateTimeOffset? CreatedAfter = null,
    DateTimeOffset? CreatedBefore = null);
