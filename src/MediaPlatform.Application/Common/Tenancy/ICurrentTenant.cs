using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Application.Common.Tenancy;

/// <summary>
/// Who the current unit of work acts for: the tenant of the request's API key, or of the job a worker runs. Handlers
/// read it; persistence shows the tenant only its own rows and stamps it on new ones. Null outside a tenant (an
/// anonymous request, a system task), where tenant-owned data is invisible and cannot be written.
/// </summary>
public interface ICurrentTenant
{
    TenantId? TenantId { get; }

    TenantLimits Limits { get; }

    /// <summary>The key the request authenticated with; null for workers and tools.</summary>
    ApiKeyId? ApiKeyId { get; }

    IReadOnlyList<string> Scopes { get; }

    /// <summary>The tenant, or an exception when the scope has none (a programming error, not a client's).</summary>
    TenantId RequiredTenantId => TenantId ?? throw new InvalidOperationException("This unit of work acts for no tenant.");
}
