using MediaPlatform.Domain.Common;

namespace MediaPlatform.Domain.Tenants;

/// <summary>Loads and stores tenants; changes are committed by <see cref="IUnitOfWork"/>.</summary>
public interface ITenantRepository
{
    void Add(Tenant tenant);

    Task<Tenant?> GetAsync(TenantId id, CancellationToken cancellationToken = default);

    Task<Tenant?> FindByNameAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Newest first, keyset paginated on (created_at, id).</summary>
    Task<Page<Tenant>> ListAsync(int limit, KeysetCursor? after, CancellationToken cancellationToken = default);
}

/// <summary>Loads and stores API keys; changes are committed by <see cref="IUnitOfWork"/>.</summary>
public interface IApiKeyRepository
{
    void Add(ApiKey key);

    Task<ApiKey?> GetAsync(TenantId tenantId, ApiKeyId id, CancellationToken cancellationToken = default);

    /// <summary>Every key of the tenant, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<ApiKey>> ListAsync(TenantId tenantId, CancellationToken cancellationToken = default);

    /// <summary>Every key, newest first, for the operator's command line.</summary>
    Task<IReadOnlyList<ApiKey>> ListAllAsync(CancellationToken cancellationToken = default);

    /// <summary>A key by id, whatever its tenant (the operator's command line).</summary>
    Task<ApiKey?> FindAsync(ApiKeyId id, CancellationToken cancellationToken = default);

    Task<bool> AnyAsync(CancellationToken cancellationToken = default);
}
