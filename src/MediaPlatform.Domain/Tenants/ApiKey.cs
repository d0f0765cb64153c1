using MediaPlatform.Domain.Common;

namespace MediaPlatform.Domain.Tenants;

/// <summary>
/// A credential of one tenant. The secret is shown once, when the key is issued; the key keeps only its hash and a
/// short visible prefix. A revoked or expired key authenticates nothing.
/// </summary>
public sealed class ApiKey : AggregateRoot<ApiKeyId>
{
    public const int MaxNameLength = 100;

    private ApiKey(ApiKeyId id, TenantId tenantId, string name, IReadOnlyList<string> scopes, byte[] hash, string prefix, DateTimeOffset? expiresAt, DateTimeOffset now)
        : base(id)
    {
        TenantId = tenantId;
        Name = name;
        Scopes = scopes;
        Hash = hash;
        Prefix = prefix;
        ExpiresAt = expiresAt;
        CreatedAt = now;
    }

    // For EF Core materialisation.
    private ApiKey()
        : base(default)
    {
        Name = string.Empty;
        Scopes = [];
        Hash = [];
        Prefix = string.Empty;
    }

    public TenantId TenantId { get; private set; }

    public string Name { get; private set; }

    /// <summary>Sorted, distinct, each one of <see cref="ApiScopes.All"/>.</summary>
    public IReadOnlyList<string> Scopes { get; private set; }

    /// <summary>SHA-256 of the secret.</summary>
    public byte[] Hash { get; private set; }

    /// <summary>The first characters of the secret, to recognise the key in lists.</summary>
    public string Prefix { get; private set; }

    public DateTimeOffset? ExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public DateTimeOffset? LastUsedAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// Issues a key for <paramref name="tenantId"/>: a new random secret, or <paramref name="secret"/> when the
    /// operator supplies one (the bootstrap key). Returns the key and the secret, which is never available again.
    /// </summary>
    public static Result<(ApiKey Key, string Secret)> Issue(
        TenantId tenantId, string? name, IEnumerable<string>? scopes, DateTimeOffset? expiresAt, DateTimeOffset now, string? secret = null)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > MaxNameLength || trimmed.Any(char.IsControl))
        {
            return Error.Validation("api_key.name_invalid", $"A key name is 1 to {MaxNameLength} printable characters.");
        }

        var list = (scopes ?? []).Select(s => s?.Trim().ToLowerInvariant() ?? string.Empty).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (list.Count == 0 || list.Any(s => !ApiScopes.IsKnown(s)))
        {
            return Error.Validation("api_key.scopes_invalid", $"scopes must list one or more of {string.Join(", ", ApiScopes.All)}.");
        }

        if (expiresAt is { } expiry && expiry <= now)
        {
            return Error.Validation("api_key.expiry_past", "expiresAt must be in the future.");
        }

        secret ??= ApiKeySecret.Generate();
        if (!ApiKeySecret.IsWellFormed(secret))
        {
            return Error.Validation("api_key.secret_malformed", $"A key is '{ApiKeySecret.Prefix}' followed by {ApiKeySecret.RandomLength} letters or digits.");
        }

        var key = new ApiKey(ApiKeyId.New(), tenantId, trimmed, list, ApiKeySecret.Hash(secret), ApiKeySecret.VisiblePrefix(secret), expiresAt, now);
        return (key, secret);
    }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    /// <summary>Revoking twice is harmless: the first revocation time is kept.</summary>
    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
