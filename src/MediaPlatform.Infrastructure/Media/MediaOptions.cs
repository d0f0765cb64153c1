using System.ComponentModel.DataAnnotations;

namespace MediaPlatform.Infrastructure.Media;

/// <summary>The <c>Media</c> configuration section.</summary>
public sealed class MediaOptions
{
    public const string SectionName = "Media";

    /// <summary>Largest upload or download accepted, in bytes (default 2 GiB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Longest media any job processes, in seconds (default 4 h); longer media fails its job after probing.</summary>
    [Range(1, 7 * 24 * 3600)]
    public int MaxMediaSeconds { get; set; } = MediaPlatform.Application.Abstractions.MediaLimits.DefaultMaxMediaSeconds;

    /// <summary>Allow media URLs on loopback, private and link-local addresses (for a closed network; off by default).</summary>
    public bool AllowPrivateUrls { get; set; }
}
