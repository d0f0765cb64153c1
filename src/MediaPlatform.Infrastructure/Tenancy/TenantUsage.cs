using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Tenants;
using Npgsql;

namespace MediaPlatform.Infrastructure.Tenancy;

/// <summary>One round trip counting a tenant's running and queued jobs and its stored bytes (served by partial indexes).</summary>
internal sealed class PostgresTenantUsage(NpgsqlDataSource dataSource) : ITenantUsage
{
    public async Task<TenantUsage> GetAsync(TenantId tenantId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM job WHERE tenant_id = $1 AND status = 'running')::int,
                   (SELECT count(*) FROM job WHERE tenant_id = $1 AND status = 'queued')::int,
                   (SELECT coalesce(sum(size_bytes), 0) FROM media_asset WHERE tenant_id = $1)::bigint
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new TenantUsage(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt64(2));
    }
}
