using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Application.Abstractions;

/// <summary>How many requests a tenant made in its current rate-limit window (for <c>GET /api/v1/me</c>).</summary>
public interface IRequestRateMeter
{
    int? RequestsThisWindow(TenantId tenantId);
}
