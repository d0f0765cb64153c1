using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Tenants;
using Npgsql;

namespace MediaPlatform.Infrastructure.Idempotency;

/// <summary>
/// Idempotency keys in PostgreSQL, on their own pooled connections so that they never join (or wait for) the
/// request's unit of work. Claiming is one INSERT ... ON CONFLICT DO NOTHING: exactly one request wins a key.
/// Each claim has a random owner token: only its request renews it (every <see cref="RenewInterval"/> while it runs,
/// so a slow 2 GB upload keeps it), completes or releases it. A claim not renewed for <see cref="AbandonedClaimAge"/>
/// belongs to a request that died, and is given up, so a crash cannot lock a client's key until it expires.
/// </summary>
internal sealed class PostgresIdempotencyStore(NpgsqlDataSource dataSource) : IIdempotencyStore
{
    public static readonly TimeSpan AbandonedClaimAge = TimeSpan.FromMinutes(2);

    public static TimeSpan RenewInterval => IdempotencyClaim.RenewInterval;

    public async Task<IdempotencyClaim> ClaimAsync(TenantId tenantId, string key, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        var owner = Guid.NewGuid();
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command(
            "DELETE FROM idempotency_key WHERE tenant_id = $4 AND key = $1 AND (expires_at <= $2 OR (fingerprint IS NULL AND coalesce(renewed_at, created_at) <= $3))",
            key, now, now - AbandonedClaimAge, tenantId.Value));
        batch.BatchCommands.Add(Command(
            "INSERT INTO idempotency_key (tenant_id, key, created_at, renewed_at, expires_at, owner) VALUES ($4, $1, $2, $2, $3, $5) ON CONFLICT (tenant_id, key) DO NOTHING",
            key, now, expiresAt, tenantId.Value, owner));
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
            return new IdempotencyClaim(true, null, null, owner);
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

    public async Task<bool> CompleteAsync(TenantId tenantId, string key, Guid owner, string fingerprint, StoredResponse response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        await using var command = dataSource.CreateCommand(
            "UPDATE idempotency_key SET fingerprint = $2, status_code = $3, content_type = $4, location = $5, body = $6 WHERE key = $1 AND tenant_id = $7 AND owner = $8 AND fingerprint IS NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = fingerprint });
        command.Parameters.Add(new NpgsqlParameter { Value = response.StatusCode });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)response.ContentType ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)response.Location ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = response.Body });
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task RenewAsync(TenantId tenantId, string key, Guid owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE idempotency_key SET renewed_at = $4 WHERE tenant_id = $2 AND key = $1 AND owner = $3 AND fingerprint IS NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ReleaseAsync(TenantId tenantId, string key, Guid owner, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM idempotency_key WHERE tenant_id = $2 AND key = $1 AND owner = $3 AND fingerprint IS NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
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
