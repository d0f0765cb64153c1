namespace MediaPlatform.Application.Tenants;

/// <summary>A tenant's limits; null means unlimited.</summary>
public sealed record TenantLimitsDto(
    int? RequestsPerMinute,
    int? MaxConcurrentJobs,
    int? MaxQueuedJobs,
    long? StorageBytes,
    int? MaxMediaSeconds,
    int? RetentionDays);

/// <summary>A tenant as the admin API shows it.</summary>
public sealed record TenantDto
{
    public Guid Id { get; init; }

    public string Name { get; init; } = string.Empty;

    public TenantLimitsDto Limits { get; init; } = new(null, null, null, null, null, null);

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>An API key without its secret.</summary>
public sealed record ApiKeyDto
{
    public Guid Id { get; init; }

    public Guid TenantId { get; init; }

    public string Name { get; init; } = string.Empty;

    /// <summary>The first characters of the key (<c>mp_live_ab12</c>), to recognise it.</summary>
    public string Prefix { get; init; } = string.Empty;

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A key just issued: the only answer that carries the secret <see cref="Key"/>.</summary>
public sealed record CreatedApiKeyDto
{
    public Guid Id { get; init; }

    public Guid TenantId { get; init; }

    public string Name { get; init; } = string.Empty;

    /// <summary>The secret to send as <c>Authorization: Bearer ...</c>. Shown once; only its hash is stored.</summary>
    public string Key { get; init; } = string.Empty;

    public string Prefix { get; init; } = string.Empty;

    public IReadOnlyList<string> Scopes { get; init; } = [];

    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>One limit (null: unlimited) and how much of it is used now (null where usage is not counted).</summary>
public sealed record LimitUsageDto(long? Limit, long? Used);

/// <summary>The caller's current usage against each limit of its tenant.</summary>
public sealed record TenantUsageDto(
    LimitUsageDto RequestsPerMinute,
    LimitUsageDto MaxConcurrentJobs,
    LimitUsageDto MaxQueuedJobs,
    LimitUsageDto StorageBytes,
    LimitUsageDto MaxMediaSeconds,
    LimitUsageDto RetentionDays);

/// <summary><c>GET /api/v1/me</c>: the caller's tenant, key and scopes, and its usage.</summary>
public sealed record MeDto(TenantDto Tenant, ApiKeyDto? Key, IReadOnlyList<string> Scopes, TenantUsageDto Usage);
