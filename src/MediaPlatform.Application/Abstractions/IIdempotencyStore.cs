using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Application.Abstractions;

/// <summary>
/// Remembers the response of each POST sent with an <c>Idempotency-Key</c>, so a retried request gets the stored
/// response instead of running twice. Keys are per tenant. A key is claimed before the request runs; only one request holds it.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>Claims <paramref name="key"/>, or returns what is stored under it (completed or still in progress).</summary>
    Task<IdempotencyClaim> ClaimAsync(TenantId tenantId, string key, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Stores the response of the request holding the claim; false when <paramref name="owner"/> no longer holds it.</summary>
    Task<bool> CompleteAsync(TenantId tenantId, string key, Guid owner, string fingerprint, StoredResponse response, CancellationToken cancellationToken = default);

    /// <summary>Keeps a running request's claim from being taken as abandoned (a slow upload).</summary>
    Task RenewAsync(TenantId tenantId, string key, Guid owner, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Releases a claim whose request did not succeed, so the client may try again with the same key.</summary>
    Task ReleaseAsync(TenantId tenantId, string key, Guid owner, CancellationToken cancellationToken = default);

    /// <summary>Deletes expired keys; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
