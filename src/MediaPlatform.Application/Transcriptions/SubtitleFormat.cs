namespace MediaPlatform.Application.Transcriptions;

/// <summary>Caption file formats: WebVTT (browsers' &lt;track&gt;) and SubRip.</summary>
public enum SubtitleFormat
{
    Vtt,
    Srt,
}
