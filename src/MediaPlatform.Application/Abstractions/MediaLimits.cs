namespace MediaPlatform.Application.Abstractions;

/// <summary>
/// Limits the media use cases enforce, from the <c>Media</c> configuration section: the largest upload, and the
/// longest media any job processes (a small file can claim hundreds of hours; a tenant's maxMediaSeconds may be lower).
/// </summary>
public sealed record MediaLimits(long MaxUploadBytes, int MaxMediaSeconds = MediaLimits.DefaultMaxMediaSeconds)
{
    public const int DefaultMaxMediaSeconds = 4 * 3600;
}
