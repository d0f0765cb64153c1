using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Tenants;
using Npgsql;

namespace MediaPlatform.Infrastructure.Tenancy;

/// <summary>
/// Deletes a tenant and what it owns in one transaction, holding the tenant's row lock: its stored bytes first (a
/// crash then leaves rows whose bytes are gone, and deleting again finishes the job; never bytes nobody knows of),
/// then results, jobs, media, keys and idempotency records, then the tenant.
/// </summary>
internal sealed class TenantEraser(NpgsqlDataSource dataSource, IBlobStore blobs) : ITenantEraser
{
    public async Task<bool> EraseAsync(TenantId tenantId, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await ScalarAsync(connection, "SELECT count(*) FROM (SELECT 1 FROM tenant WHERE id = $1 FOR UPDATE) AS t", tenantId, cancellationToken) == 0)
        {
            return false;
        }

        var keys = new List<string>();
        await using (var command = new NpgsqlCommand("SELECT storage_key FROM media_asset WHERE tenant_id = $1 AND storage_key IS NOT NULL FOR UPDATE", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = tenantId.Value });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                keys.Add(reader.GetString(0));
            }
        }

        foreach (var key in keys)
        {
            await blobs.DeleteAsync(key, cancellationToken);
        }

        foreach (var table in new[] { "vocabulary", "analysis_result", "transcription_revision", "transcription", "job", "media_asset", "idempotency_key", "api_key" })
        {
#pragma warning disable CA2100 // the table names are constants of this class; the tenant is a parameter
            await ScalarAsync(connection, $"WITH gone AS (DELETE FROM {table} WHERE tenant_id = $1 RETURNING 1) SELECT count(*) FROM gone", tenantId, cancellationToken);
#pragma warning restore CA2100
        }

        await ScalarAsync(connection, "WITH gone AS (DELETE FROM tenant WHERE id = $1 RETURNING 1) SELECT count(*) FROM gone", tenantId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql, TenantId tenantId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId.Value });
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
