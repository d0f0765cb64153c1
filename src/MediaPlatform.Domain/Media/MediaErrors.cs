using MediaPlatform.Domain.Common;

namespace MediaPlatform.Domain.Media;

/// <summary>The expected failures of the media aggregate.</summary>
public static class MediaErrors
{
    public static Error NotFound(MediaAssetId id) =>
        Error.NotFound("media.not_found", $"Media '{id}' does not exist.");

    public static Error InvalidTransition(MediaAssetId id, MediaStatus from, string action) =>
        Error.Conflict("media.invalid_transition", $"Media '{id}' is {from.ToString().ToLowerInvariant()} and cannot be {action}.");

    public static Error InUse(MediaAssetId id) =>
        Error.Conflict("media.in_use", $"Media '{id}' has a queued or running job; cancel it first.");
}
