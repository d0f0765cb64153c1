using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Application.Abstractions;

/// <summary>
/// Finds the active key a client presented. Answers may be cached for a few seconds at most;
/// <see cref="Forget"/> drops every cached answer at once (after a revocation or a change of limits).
/// </summary>
public interface IApiKeyAuthenticator
{
    /// <summary>The key with its tenant and limits, or null when it is unknown, revoked or expired.</summary>
    Task<AuthenticatedKey?> AuthenticateAsync(string secret, CancellationToken cancellationToken = default);

    void Forget();
}

public sealed record AuthenticatedKey(ApiKeyId KeyId, string KeyName, TenantId TenantId, string TenantName, IReadOnlyList<string> Scopes, TenantLimits Limits);
