using System.Text.RegularExpressions;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Domain.Media;

/// <summary>An audio or video file known to the platform, uploaded or registered by URL.</summary>
public sealed partial class MediaAsset : AggregateRoot<MediaAssetId>, ITenantOwned
{
    public const int MaxFileNameLength = 255;
    public const int MaxUrlLength = 2048;
    public const int MaxContentTypeLength = 255;
    public const int MaxStorageKeyLength = 512;

    private MediaAsset(MediaAssetId id, MediaSource source, DateTimeOffset now)
        : base(id)
    {
        Source = source;
        CreatedAt = now;
        UpdatedAt = now;
    }

    // For EF Core materialisation.
    private MediaAsset()
        : base(default)
    {
    }

    /// <summary>The tenant that owns it; stamped by persistence, never chosen by the aggregate.</summary>
    public TenantId TenantId { get; private set; }

    public MediaSource Source { get; private set; }

    public MediaStatus Status { get; private set; }

    public string? OriginalFileName { get; private set; }

    public string? SourceUrl { get; private set; }

    /// <summary>Where the bytes live in the blob store; null until stored.</summary>
    public string? StorageKey { get; private set; }

    public string? ContentType { get; private set; }

    public long? SizeBytes { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the stored bytes.</summary>
    public string? Sha256 { get; private set; }

    public TimeSpan? Duration { get; private set; }

    public string? AudioCodec { get; private set; }

    public string? VideoCodec { get; private set; }

    public int? Channels { get; private set; }

    public int? SampleRate { get; private set; }

    public bool HasAudio { get; private set; }

    public bool HasVideo { get; private set; }

    public string? RejectionReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Media whose bytes were uploaded and are already in the blob store.</summary>
    public static Result<MediaAsset> FromUpload(
        string? originalFileName, string contentType, string storageKey, long sizeBytes, string sha256, DateTimeOffset now)
    {
        var stored = ValidateStored(contentType, storageKey, sizeBytes, sha256);
        if (stored.IsFailure)
        {
            return stored.Error!;
        }

        // Nothing to probe: refused now, rather than accepted and failed by its first job.
        if (sizeBytes == 0)
        {
            return Error.Validation("media.empty", "The file is empty (0 bytes): upload the recording itself.");
        }

        var media = new MediaAsset(MediaAssetId.New(), MediaSource.Upload, now)
        {
            OriginalFileName = SanitizeFileName(originalFileName),
        };
        media.SetStored(contentType, storageKey, sizeBytes, sha256, now);
        return media;
    }

    /// <summary>Media known by an http(s) URL; a worker fetches it later.</summary>
    public static Result<MediaAsset> FromUrl(Uri url, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return Error.Validation("media.url_scheme", "Only absolute http and https URLs can be registered.");
        }

        var text = url.AbsoluteUri;
        if (text.Length > MaxUrlLength)
        {
            return Error.Validation("media.url_too_long", $"The URL is longer than {MaxUrlLength} characters.");
        }

        return new MediaAsset(MediaAssetId.New(), MediaSource.Url, now)
        {
            Status = MediaStatus.Registered,
            SourceUrl = text,
            OriginalFileName = SanitizeFileName(Uri.UnescapeDataString(url.Segments[^1])),
        };
    }

    /// <summary>The bytes of URL media were fetched into the blob store.</summary>
    public Result MarkStored(string contentType, string storageKey, long sizeBytes, string sha256, DateTimeOffset now)
    {
        if (Status != MediaStatus.Registered)
        {
            return MediaErrors.InvalidTransition(Id, Status, "stored again");
        }

        var stored = ValidateStored(contentType, storageKey, sizeBytes, sha256);
        if (stored.IsFailure)
        {
            return stored;
        }

        SetStored(contentType, storageKey, sizeBytes, sha256, now);
        return Result.Success();
    }

    /// <summary>Probing found the streams; media without an audio stream cannot be transcribed and is rejected.</summary>
    public Result RecordProbe(MediaStreamFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (Status is not (MediaStatus.Stored or MediaStatus.Ready))
        {
            return MediaErrors.InvalidTransition(Id, Status, "probed");
        }

        Duration = facts.Duration;
        AudioCodec = facts.AudioCodec;
        VideoCodec = facts.VideoCodec;
        Channels = facts.Channels;
        SampleRate = facts.SampleRate;
        HasAudio = facts.HasAudio;
        HasVideo = facts.HasVideo;
        if (!facts.HasAudio)
        {
            return Reject("The media has no audio stream, so there is nothing to transcribe.", now);
        }

        if (Status != MediaStatus.Ready)
        {
            Raise(new MediaBecameReady(Id, now));
        }

        Status = MediaStatus.Ready;
        RejectionReason = null;
        UpdatedAt = now;
        return Result.Success();
    }

    /// <summary>The media cannot be decoded; the reason is kept for the client.</summary>
    public Result Reject(string reason, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Status = MediaStatus.Rejected;
        RejectionReason = reason;
        UpdatedAt = now;
        return Result.Success();
    }

    /// <summary>Keeps only the last path segment and drops control characters, so a name can never traverse paths.</summary>
    public static string? SanitizeFileName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var lastSegment = name.Replace('\\', '/').Split('/')[^1];
        var clean = ControlCharacters().Replace(lastSegment, string.Empty).Trim();
        if (clean is "" or "." or "..")
        {
            return null;
        }

        return clean.Length > MaxFileNameLength ? clean[..MaxFileNameLength] : clean;
    }

    private static Result ValidateStored(string contentType, string storageKey, long sizeBytes, string sha256)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        ArgumentException.ThrowIfNullOrWhiteSpace(storageKey);
        if (sizeBytes < 0)
        {
            return Error.Validation("media.size_negative", "The media size cannot be negative.");
        }

        if (!Sha256Hex().IsMatch(sha256 ?? string.Empty))
        {
            return Error.Validation("media.sha256_invalid", "The SHA-256 must be 64 lower-case hex characters.");
        }

        return Result.Success();
    }

    private void SetStored(string contentType, string storageKey, long sizeBytes, string sha256, DateTimeOffset now)
    {
        ContentType = contentType.Length > MaxContentTypeLength ? contentType[..MaxContentTypeLength] : contentType;
        StorageKey = storageKey;
        SizeBytes = sizeBytes;
        Sha256 = sha256;
        Status = MediaStatus.Stored;
        UpdatedAt = now;
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();

    [GeneratedRegex(@"\p{C}")]
    private static partial Regex ControlCharacters();
}
