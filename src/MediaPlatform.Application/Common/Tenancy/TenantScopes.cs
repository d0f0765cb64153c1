using MediaPlatform.Domain.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace MediaPlatform.Application.Common.Tenancy;

/// <summary>Opens DI scopes that act for a given tenant (workers, event streams), so they see that tenant's rows only.</summary>
public static class TenantScopes
{
    public static AsyncServiceScope CreateTenantScope(this IServiceScopeFactory scopes, TenantId tenantId, TenantLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId, limits ?? TenantLimits.None);
        return scope;
    }

    /// <summary>A new scope acting for the same tenant, limits, key and scopes as <paramref name="current"/>.</summary>
    public static AsyncServiceScope CreateTenantScope(this IServiceScopeFactory scopes, ICurrentTenant current)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(current);
        var scope = scopes.CreateAsyncScope();
        if (current.TenantId is { } tenantId)
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId, current.Limits, current.ApiKeyId, current.Scopes);
        }

        return scope;
    }
}
