using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Media.GetMedia;

public sealed record GetMediaQuery(Guid MediaId) : IQuery<Result<MediaAssetDto>>;
