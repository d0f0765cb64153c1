using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Application.Abstractions;

/// <summary>Deletes a tenant with everything it owns: rows and stored bytes.</summary>
public interface ITenantEraser
{
    /// <summary>Deletes the stored bytes first, then every row, in one transaction; false when there is no such tenant.</summary>
    Task<bool> EraseAsync(TenantId tenantId, CancellationToken cancellationToken = default);
}
