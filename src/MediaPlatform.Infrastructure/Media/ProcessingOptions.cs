using System.ComponentModel.DataAnnotations;

namespace MediaPlatform.Infrastructure.Media;

/// <summary>The <c>Processing</c> configuration section: external programs and their time limits.</summary>
public sealed class ProcessingOptions
{
    public const string SectionName = "Processing";

    [Required]
    public string FfmpegPath { get; set; } = "ffmpeg";

    [Required]
    public string FfprobePath { get; set; } = "ffprobe";

    /// <summary>Longest a probe may take.</summary>
    [Range(1, 3600)]
    public int ProbeTimeoutSeconds { get; set; } = 60;

    /// <summary>Longest an audio extraction may take.</summary>
    [Range(1, 36000)]
    public int ExtractTimeoutSeconds { get; set; } = 900;

    /// <summary>Longest a URL download may take.</summary>
    [Range(1, 36000)]
    public int FetchTimeoutSeconds { get; set; } = 600;

    /// <summary>Where per-job scratch folders go; empty means the system temp folder.</summary>
    public string? ScratchPath { get; set; }
}
