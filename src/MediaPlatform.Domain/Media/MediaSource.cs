namespace MediaPlatform.Domain.Media;

/// <summary>How the media reached the platform.</summary>
public enum MediaSource
{
    Upload,
    Url,
}
