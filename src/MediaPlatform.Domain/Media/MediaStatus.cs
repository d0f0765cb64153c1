namespace MediaPlatform.Domain.Media;

/// <summary>
/// registered (URL known, bytes not fetched) -> stored (bytes in the blob store) -> ready (probed, decodable)
/// | rejected (not decodable or no audio).
/// </summary>
public enum MediaStatus
{
    Registered,
    Stored,
    Ready,
    Rejected,
}
