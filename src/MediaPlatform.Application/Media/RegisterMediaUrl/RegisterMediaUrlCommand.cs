using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Media.RegisterMediaUrl;

/// <summary>Register media that a worker will fetch from an http(s) URL.</summary>
public sealed record RegisterMediaUrlCommand(string? Url) : ICommand<Result<MediaAssetDto>>;
