using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Application.Common.Tenancy;

/// <summary>
/// The scoped <see cref="ICurrentTenant"/>: set once per scope by whoever opens it (the API's authentication
/// handler, a worker that claimed a job), read by handlers and persistence.
/// </summary>
public sealed class TenantContext : ICurrentTenant
{
    public TenantId? TenantId { get; private set; }

    public TenantLimits Limits { get; private set; } = TenantLimits.None;

    public ApiKeyId? ApiKeyId { get; private set; }

    public IReadOnlyList<string> Scopes { get; private set; } = [];

    public void Set(TenantId tenantId, TenantLimits limits, ApiKeyId? apiKeyId = null, IReadOnlyList<string>? scopes = null)
    {
        if (TenantId is { } current && current != tenantId)
        {
            throw new InvalidOperationException($"This scope already acts for tenant '{current}', not '{tenantId}'.");
        }

        TenantId = tenantId;
        Limits = limits ?? TenantLimits.None;
        ApiKeyId = apiKeyId;
        Scopes = scopes ?? [];
    }
}
