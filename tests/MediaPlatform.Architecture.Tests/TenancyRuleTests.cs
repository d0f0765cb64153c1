using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Architecture.Tests;

/// <summary>
/// Isolation is enforced once, by the model: every entity with data carries its tenant, is filtered by it, and
/// refers to the tenant table. A new entity that forgets it fails here (docs/adr/0008).
/// </summary>
public sealed class TenancyRuleTests
{
    // The tenant itself, its keys (the admin API manages them across tenants, by tenant id) and the idempotency
    // records (keyed by tenant in their primary key, read only by the middleware) are the only rows outside the filter.
    private static readonly Type _idempotencyRecord = typeof(MediaPlatformDbContext).Assembly.GetType("MediaPlatform.Infrastructure.Idempotency.IdempotencyRecord", throwOnError: true)!;

    // Webhook outbox rows carry their job's tenant, are written by the save interceptor and read only by the
    // dispatcher's SQL, across tenants (docs/adr/0014).
    private static readonly Type _webhookEvent = typeof(MediaPlatformDbContext).Assembly.GetType("MediaPlatform.Infrastructure.Webhooks.WebhookEvent", throwOnError: true)!;

    private static readonly Type[] _notFiltered = [typeof(Tenant), typeof(ApiKey), _idempotencyRecord, _webhookEvent];

    private static readonly Microsoft.EntityFrameworkCore.Metadata.IModel _model = CreateModel();

    [Fact]
    public void Every_aggregate_with_data_is_owned_by_a_tenant()
    {
        var aggregates = typeof(Result).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(AggregateRoot<>))
            .Where(t => !_notFiltered.Contains(t))
            .ToList();

        Assert.NotEmpty(aggregates);
        Assert.All(aggregates, t => Assert.True(typeof(ITenantOwned).IsAssignableFrom(t), $"{t.Name} does not implement ITenantOwned"));
    }

    [Fact]
    public void Every_stored_entity_is_filtered_by_tenant_unless_it_is_on_the_short_list()
    {
        foreach (var entity in _model.GetEntityTypes().Where(e => !e.IsOwned()))
        {
            if (_notFiltered.Contains(entity.ClrType))
            {
                continue;
            }

            Assert.True(typeof(ITenantOwned).IsAssignableFrom(entity.ClrType), $"{entity.ClrType.Name} is stored but not tenant-owned");
            Assert.True(entity.GetDeclaredQueryFilters().Count > 0, $"{entity.ClrType.Name} has no tenant query filter");
            Assert.Contains(entity.GetForeignKeys(), fk => fk.PrincipalEntityType.ClrType == typeof(Tenant) && fk.Properties.Single().Name == nameof(ITenantOwned.TenantId));
        }
    }

    [Fact]
    public void Rows_outside_the_filter_still_name_their_tenant()
    {
        var keys = _model.FindEntityType(typeof(ApiKey))!;
        var idempotency = _model.FindEntityType(_idempotencyRecord)!;

        Assert.Contains(keys.GetForeignKeys(), fk => fk.PrincipalEntityType.ClrType == typeof(Tenant));
        Assert.Equal(["TenantId", "Key"], idempotency.FindPrimaryKey()!.Properties.Select(p => p.Name));
    }

    private static Microsoft.EntityFrameworkCore.Metadata.IModel CreateModel()
    {
        var options = new DbContextOptionsBuilder<MediaPlatformDbContext>();
        PersistenceSetup.Configure(options, "Host=localhost;Database=model-only", new DatabaseOptions { ConnectionString = "Host=localhost" });
        using var db = new MediaPlatformDbContext(options.Options);
        return db.Model;
    }
}
