namespace MediaPlatform.Application.Abstractions;

/// <summary>
/// The outcome of claiming a key: <see cref="Claimed"/> when this request now holds it; otherwise the earlier
/// request's <see cref="Fingerprint"/> and <see cref="Response"/> (both null while it is still running). A claim held
/// has an <see cref="Owner"/> token: only its holder can renew, complete or release it.
/// </summary>
public sealed record IdempotencyClaim(bool Claimed, string? Fingerprint, StoredResponse? Response, Guid Owner = default)
{
    /// <summary>How often a running request renews its claim; a claim is abandoned after a few missed renewals.</summary>
    public static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(30);
}
