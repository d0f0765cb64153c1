using System.ComponentModel.DataAnnotations;

namespace MediaPlatform.Infrastructure.Storage;

/// <summary>The <c>Storage</c> configuration section: where the file-system blob store keeps media.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Folder of the blob store; relative paths are relative to the working directory.</summary>
    [Required]
    public string RootPath { get; set; } = ".data/blobs";

    /// <summary>Most bytes the store may hold in all; 0 means only the disk limits it. Past it, uploads get 507.</summary>
    [Range(0, long.MaxValue)]
    public long QuotaBytes { get; set; }

    /// <summary>How often worker processes look for leftovers (partial uploads, orphaned blobs, dead jobs' scratch folders).</summary>
    [Range(1, 1440)]
    public int LeftoverSweepMinutes { get; set; } = 60;

    /// <summary>A partial upload or an unreferenced blob is a leftover only once it is this old (an upload may still be running).</summary>
    [Range(1, 10080)]
    public int LeftoverGraceMinutes { get; set; } = 60;
}
