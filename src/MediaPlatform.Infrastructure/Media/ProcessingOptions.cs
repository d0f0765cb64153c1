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

    /// <summary>
    /// The container formats (ffmpeg demuxer names) ffprobe and ffmpeg may open. Playlists and lists of other files
    /// (hls, concat, ...) are not among them, so a file disguised as audio cannot make them read anything else.
    /// </summary>
    [Required]
    [RegularExpression("^[a-z0-9_]+(,[a-z0-9_]+)*$")]
    public string InputFormats { get; set; } = "wav,w64,mp3,ogg,flac,mov,matroska,aac,ac3,eac3,avi,asf,aiff,au,amr,caf,wv,ape,tta,mpegts,mpeg,flv,rm,dts";

    /// <summary>An untrusted media file as ffmpeg's or ffprobe's input: local files only, and only <see cref="InputFormats"/>.</summary>
    public string[] UntrustedInput(string path) => ["-protocol_whitelist", "file", "-format_whitelist", InputFormats, "-i", path];

    /// <summary>Where per-job scratch folders go; empty means the system temp folder.</summary>
    public string? ScratchPath { get; set; }
}
