using MediaPlatform.Domain.Media;

namespace MediaPlatform.Application.Media;

/// <summary>A media asset as clients see it. Storage details (the blob key) stay inside.</summary>
public sealed record MediaAssetDto
{
    public Guid Id { get; init; }

    public MediaSource Source { get; init; }

    public MediaStatus Status { get; init; }

    public string? FileName { get; init; }

    public string? Url { get; init; }

    public string? ContentType { get; init; }

    public long? SizeBytes { get; init; }

    public string? Sha256 { get; init; }

    /// <summary>Duration in seconds, once probed.</summary>
    public double? DurationSeconds { get; init; }

    public string? AudioCodec { get; init; }

    public string? VideoCodec { get; init; }

    public int? Channels { get; init; }

    public int? SampleRate { get; init; }

    public bool HasAudio { get; init; }

    public bool HasVideo { get; init; }

    public string? RejectionReason { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>
    /// From when the retention sweeper may delete this media with its bytes (the tenant's retentionDays); it waits
    /// while a younger job of the media is kept. Null when kept.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
