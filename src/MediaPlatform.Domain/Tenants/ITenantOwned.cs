namespace MediaPlatform.Domain.Tenants;

/// <summary>
/// Data that belongs to one tenant. Persistence stamps the tenant of the unit of work on new rows and shows a
/// tenant only its own rows; an aggregate never chooses or changes its tenant.
/// </summary>
public interface ITenantOwned
{
    TenantId TenantId { get; }
}
