using System.Collections.Concurrent;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MediaPlatform.Infrastructure.Tenancy;

/// <summary>
/// Looks a presented key up by its SHA-256 in one query joined with its tenant's limits. Answers (found or not) are
/// cached for <see cref="AuthOptions.CacheSeconds"/> at most, never past the key's expiry, so a revocation made by
/// another process takes effect within that time, and one made by this process at once (<see cref="Forget"/>).
/// lastUsedAt is written in the background, at most once per <see cref="AuthOptions.LastUsedWriteSeconds"/> per key.
/// </summary>
internal sealed partial class ApiKeyAuthenticator(
    NpgsqlDataSource dataSource, IOptions<AuthOptions> options, TimeProvider time, ILogger<ApiKeyAuthenticator> logger) : IApiKeyAuthenticator
{
    private const int MaxCachedAnswers = 10_000;
    private readonly ConcurrentDictionary<string, CachedAnswer> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ApiKeyId, DateTimeOffset> _lastUsedWritten = new();

    public async Task<AuthenticatedKey?> AuthenticateAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (!ApiKeySecret.IsWellFormed(secret))
        {
            return null;
        }

        var hash = ApiKeySecret.Hash(secret);
        var cacheKey = Convert.ToBase64String(hash);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(cacheKey, out var cached) && cached.Until > now)
        {
            Touch(cached.Key, now);
            return cached.Key;
        }

        var (key, expiresAt) = await LookUpAsync(hash, now, cancellationToken);
        var until = now.AddSeconds(options.Value.CacheSeconds);
        if (expiresAt is { } expiry && expiry < until)
        {
            until = expiry;
        }

        if (_cache.Count >= MaxCachedAnswers)
        {
            _cache.Clear(); // a flood of unknown keys must not grow memory
        }

        _cache[cacheKey] = new CachedAnswer(key, until);
        Touch(key, now);
        return key;
    }

    public void Forget() => _cache.Clear();

    private async Task<(AuthenticatedKey? Key, DateTimeOffset? ExpiresAt)> LookUpAsync(byte[] hash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT k.id, k.name, k.scopes, k.expires_at, t.id, t.name,
                   t.requests_per_minute, t.max_concurrent_jobs, t.max_queued_jobs, t.storage_bytes, t.max_media_seconds, t.retention_days
            FROM api_key AS k JOIN tenant AS t ON t.id = k.tenant_id
            WHERE k.hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $2)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = hash });
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return (null, null);
        }

        var limits = new TenantLimits(
            reader.IsDBNull(6) ? null : reader.GetInt32(6),
            reader.IsDBNull(7) ? null : reader.GetInt32(7),
            reader.IsDBNull(8) ? null : reader.GetInt32(8),
            reader.IsDBNull(9) ? null : reader.GetInt64(9),
            reader.IsDBNull(10) ? null : reader.GetInt32(10),
            reader.IsDBNull(11) ? null : reader.GetInt32(11));
        var key = new AuthenticatedKey(
            new ApiKeyId(reader.GetGuid(0)),
            reader.GetString(1),
            new TenantId(reader.GetGuid(4)),
            reader.GetString(5),
            reader.GetFieldValue<string[]>(2),
            limits);
        return (key, reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3));
    }

    private void Touch(AuthenticatedKey? key, DateTimeOffset now)
    {
        if (key is null)
        {
            return;
        }

        var every = TimeSpan.FromSeconds(options.Value.LastUsedWriteSeconds);
        var last = _lastUsedWritten.GetValueOrDefault(key.KeyId, DateTimeOffset.MinValue);
        if (now - last < every || !_lastUsedWritten.TryUpdate(key.KeyId, now, last) && !_lastUsedWritten.TryAdd(key.KeyId, now))
        {
            return;
        }

        _ = WriteLastUsedAsync(key.KeyId, now);
    }

    private async Task WriteLastUsedAsync(ApiKeyId id, DateTimeOffset now)
    {
        try
        {
            await using var command = dataSource.CreateCommand("UPDATE api_key SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)");
            command.Parameters.Add(new NpgsqlParameter { Value = id.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // Advisory: the next use after the interval writes it again.
            _lastUsedWritten.TryRemove(id, out _);
            LogLastUsedFailed(logger, id.Value, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not record the use of key {KeyId}: {Reason}")]
    private static partial void LogLastUsedFailed(ILogger logger, Guid keyId, string reason);

    private sealed record CachedAnswer(AuthenticatedKey? Key, DateTimeOffset Until);
}
