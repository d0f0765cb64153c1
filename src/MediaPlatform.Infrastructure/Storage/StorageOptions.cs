using System.ComponentModel.DataAnnotations;

namespace MediaPlatform.Infrastructure.Storage;

/// <summary>The <c>Storage</c> configuration section: which blob store keeps media, and its settings.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public const string FileSystemProvider = "filesystem";

    public const string S3Provider = "s3";

    /// <summary><c>filesystem</c> (default: a folder on this machine) or <c>s3</c> (any S3-compatible store).</summary>
    [Required]
    [RegularExpression("^(?i)(filesystem|s3)$", ErrorMessage = "Storage:Provider must be 'filesystem' or 's3'.")]
    public string Provider { get; set; } = FileSystemProvider;

    public S3StorageOptions S3 { get; set; } = new();

    public bool UsesS3 => string.Equals(Provider, S3Provider, StringComparison.OrdinalIgnoreCase);

    /// <summary>Folder of the blob store; relative paths are relative to the working directory.</summary>
    [Required]
    public string RootPath { get; set; } = ".data/blobs";

    /// <summary>Most bytes the file-system store may hold in all; 0 means only the disk limits it. Past it, uploads get 507. (An S3 bucket's size is the provider's business.)</summary>
    [Range(0, long.MaxValue)]
    public long QuotaBytes { get; set; }

    /// <summary>How often worker processes look for leftovers (partial uploads, orphaned blobs, dead jobs' scratch folders).</summary>
    [Range(1, 1440)]
    public int LeftoverSweepMinutes { get; set; } = 60;

    /// <summary>A partial upload or an unreferenced blob is a leftover only once it is this old (an upload may still be running).</summary>
    [Range(1, 10080)]
    public int LeftoverGraceMinutes { get; set; } = 60;
}

/// <summary>The <c>Storage:S3</c> section: an S3-compatible store (AWS S3, MinIO, Ceph, s3rver...).</summary>
public sealed class S3StorageOptions
{
    /// <summary>The endpoint, for stores other than AWS (<c>http://127.0.0.1:9000</c>); empty means AWS in <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    public string? Bucket { get; set; }

    public string Region { get; set; } = "us-east-1";

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Bucket in the path (<c>host/bucket/key</c>) rather than the host name; most self-hosted stores need it.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Uploads larger than this go up in parts of this size (multipart upload): one part is held in memory per upload.</summary>
    [Range(5, 512)]
    public int PartSizeMegabytes { get; set; } = 8;
}
