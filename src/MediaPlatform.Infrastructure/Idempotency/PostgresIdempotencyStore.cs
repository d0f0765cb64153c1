using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Tenants;
using Npgsql;

namespace MediaPlatform.Infrastructure.Idempotency;

/// <summary>
/// Idempotency keys in PostgreSQL, on their own pooled connections so that they never join (or wait for) the
/// request's unit of work. Claiming is one INSERT ... ON CONFLICT DO NOTHING: exactly one request wins a key.
/// A claim whose request never finished (the process died mid-request) is given up after
/// <see cref="AbandonedClaimAge"/>, so a crash cannot lock a client's key until it expires.
/// </summary>
internal sealed class PostgresIdempotencyStore(NpgsqlDataSource dataSource) : IIdempotencyStore
{
    public static readonly TimeSpan AbandonedClaimAge = TimeSpan.FromMinutes(15);

    public async Task<IdempotencyClaim> ClaimAsync(TenantId tenantId, string key, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(
            "DELETE FROM idempotency_key WHERE tenant_id = $4 AND key = $1 AND (expires_at <= $2 OR (fingerprint IS NULL AND created_at <= $3))",
            key, now, now - AbandonedClaimAge, tenantId.Value));
        batch.BatchCommands.Add(Command(
            "INSERT INTO idempotency_key (tenant_id, key, created_at, expires_at) VALUES ($4, $1, $2, $3) ON CONFLICT (tenant_id, key) DO NOTHING", key, now, expiresAt, tenantId.Value));
        batch.BatchCommands.Add(Command(
            "SELECT fingerprint, status_code, content_type, location, body FROM idempotency_key WHERE tenant_id = $2 AND key = $1", key, tenantId.Value));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var inserted = batch.BatchCommands[1].RecordsAffected == 1;
        if (!await reader.ReadAsync(cancellationToken))
        {
            // Expired and deleted by a concurrent claimer between our statements: treat as in progress.
            return new IdempotencyClaim(false, null, null);
        }

        if (inserted)
        {
            return new IdempotencyClaim(true, null, null);
        }

        if (reader.IsDBNull(0))
        {
            return new IdempotencyClaim(false, null, null);
        }

        return new IdempotencyClaim(
            false,
            reader.GetString(0),
            new StoredResponse(
                reader.GetInt32(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? [] : (byte[])reader.GetValue(4)));
    }

    public async Task CompleteAsync(TenantId tenantId, string key, string fingerprint, StoredResponse response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        await using var command = dataSource.CreateCommand(
            "UPDATE idempotency_key SET fingerprint = $2, status_code = $3, content_type = $4, location = $5, body = $6 WHERE key = $1 AND tenant_id = $7");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = fingerprint });
        command.Parameters.Add(new NpgsqlParameter { Value = response.StatusCode });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)response.ContentType ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)response.Location ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = response.Body });
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ReleaseAsync(TenantId tenantId, string key, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM idempotency_key WHERE tenant_id = $2 AND key = $1 AND fingerprint IS NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM idempotency_key WHERE expires_at <= $1");
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
