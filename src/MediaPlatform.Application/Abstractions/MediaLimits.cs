namespace MediaPlatform.Application.Abstractions;

/// <summary>Limits the media use cases enforce, from the <c>Media</c> configuration section.</summary>
public sealed record MediaLimits(long MaxUploadBytes);
