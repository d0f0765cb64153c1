using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Media.UploadMedia;

/// <summary>Store uploaded bytes, streamed from <paramref name="Content"/>, as a new media asset.</summary>
public sealed record UploadMediaCommand(Stream Content, string? FileName, string? ContentType) : ICommand<Result<MediaAssetDto>>;
