namespace MediaPlatform.Application.Media;

/// <summary>The declared content types the platform accepts; probing decides later whether the bytes really decode.</summary>
public static class MediaContentTypes
{
    public const string Fallback = "application/octet-stream";

    public static bool IsAccepted(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return true; // unknown: the probe decides
        }

        var type = contentType.Split(';', 2)[0].Trim().ToLowerInvariant();
        return type.StartsWith("audio/", StringComparison.Ordinal)
            || type.StartsWith("video/", StringComparison.Ordinal)
            || type is Fallback or "application/ogg" or "application/mp4";
    }

    /// <summary>The media type without parameters, or <see cref="Fallback"/>.</summary>
    public static string Normalize(string? contentType) =>
        string.IsNullOrWhiteSpace(contentType) ? Fallback : contentType.Split(';', 2)[0].Trim().ToLowerInvariant();
}
