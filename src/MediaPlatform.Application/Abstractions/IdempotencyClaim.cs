namespace MediaPlatform.Application.Abstractions;

/// <summary>
/// The outcome of claiming a key: <see cref="Claimed"/> when this request now holds it; otherwise the earlier
/// request's <see cref="Fingerprint"/> and <see cref="Response"/> (both null while it is still running).
/// </summary>
public sealed record IdempotencyClaim(bool Claimed, string? Fingerprint, StoredResponse? Response);
