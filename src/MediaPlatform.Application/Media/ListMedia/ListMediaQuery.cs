using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Media;

namespace MediaPlatform.Application.Media.ListMedia;

/// <summary>Media newest first, optionally by status, one page at a time.</summary>
public sealed record ListMediaQuery(MediaStatus? Status = null, int Limit = PagingRules.DefaultLimit, string? Cursor = null)
    : IQuery<Result<PageDto<MediaAssetDto>>>;
