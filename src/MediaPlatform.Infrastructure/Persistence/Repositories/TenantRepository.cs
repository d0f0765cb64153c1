using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Persistence.Repositories;

internal sealed class TenantRepository(MediaPlatformDbContext db) : ITenantRepository
{
    public void Add(Tenant tenant) => db.Tenants.Add(tenant);

    public Task<Tenant?> GetAsync(TenantId id, CancellationToken cancellationToken = default) =>
        db.Tenants.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);

    public Task<Tenant?> FindByNameAsync(string name, CancellationToken cancellationToken = default) =>
        db.Tenants.SingleOrDefaultAsync(t => t.Name == name, cancellationToken);

    public async Task<Page<Tenant>> ListAsync(int limit, KeysetCursor? after, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var rows = await KeysetPagination.After(db.Tenants, "tenant", after)
            .AsNoTracking()
            .OrderByDescending(t => t.CreatedAt)
            .ThenByDescending(t => t.Id)
            .Take(limit + 1)
            .ToListAsync(cancellationToken);
        return KeysetPagination.ToPage(rows, limit, t => new KeysetCursor(t.CreatedAt, t.Id.Value));
    }
}

internal sealed class ApiKeyRepository(MediaPlatformDbContext db) : IApiKeyRepository
{
    public void Add(ApiKey key) => db.ApiKeys.Add(key);

    public Task<ApiKey?> GetAsync(TenantId tenantId, ApiKeyId id, CancellationToken cancellationToken = default) =>
        db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id && k.TenantId == tenantId, cancellationToken);

    public async Task<IReadOnlyList<ApiKey>> ListAsync(TenantId tenantId, CancellationToken cancellationToken = default) =>
        await db.ApiKeys.AsNoTracking().Where(k => k.TenantId == tenantId).OrderBy(k => k.CreatedAt).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<ApiKey>> ListAllAsync(CancellationToken cancellationToken = default) =>
        await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);

    public Task<ApiKey?> FindAsync(ApiKeyId id, CancellationToken cancellationToken = default) =>
        db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);

    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) => db.ApiKeys.AnyAsync(cancellationToken);
}
