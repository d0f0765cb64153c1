using MediaPlatform.Application.Webhooks;
using MediaPlatform.Domain.Common;
using Npgsql;

namespace MediaPlatform.Infrastructure.Webhooks;

/// <summary><see cref="IWebhookDeliveries"/> on <c>webhook_delivery</c> (the caller checked the subscription is its tenant's).</summary>
internal sealed class WebhookDeliveries(NpgsqlDataSource dataSource) : IWebhookDeliveries
{
    public async Task<Page<WebhookDeliveryDto>> ListAsync(Guid subscriptionId, int limit, KeysetCursor? after, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT d.id, d.event_id, e.type, d.job_id, d.status, d.attempts, d.last_status_code, d.last_latency_ms, d.last_error,
                   CASE WHEN d.status = 'pending' THEN d.next_attempt_at END, d.created_at, d.delivered_at
            FROM webhook_delivery AS d JOIN webhook_event AS e ON e.id = d.event_id
            WHERE d.subscription_id = $1 AND ($2::timestamptz IS NULL OR (d.created_at, d.id) < ($2, $3))
            ORDER BY d.created_at DESC, d.id DESC
            LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = subscriptionId });
        command.Parameters.Add(new NpgsqlParameter { Value = after is { } a ? a.CreatedAt : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = after is { } b ? b.Id : Guid.Empty });
        command.Parameters.Add(new NpgsqlParameter { Value = limit + 1 });
        var items = new List<WebhookDeliveryDto>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new WebhookDeliveryDto(
                    reader.GetGuid(0),
                    MessageId(reader.GetGuid(1)),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetGuid(3),
                    reader.GetString(4),
                    reader.GetInt32(5),
                    reader.IsDBNull(6) ? null : reader.GetInt32(6),
                    reader.IsDBNull(7) ? null : reader.GetInt32(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                    reader.GetFieldValue<DateTimeOffset>(10),
                    reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11)));
            }
        }

        if (items.Count <= limit)
        {
            return new Page<WebhookDeliveryDto>(items, null);
        }

        items.RemoveAt(limit);
        return new Page<WebhookDeliveryDto>(items, new KeysetCursor(items[^1].CreatedAt, items[^1].Id));
    }

    public async Task<Guid> SendTestAsync(Guid subscriptionId, Domain.Tenants.TenantId tenant, CancellationToken cancellationToken = default)
    {
        var eventId = Guid.CreateVersion7();
        var deliveryId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        var payload = System.Text.Json.JsonSerializer.Serialize(
            new { type = Domain.Webhooks.WebhookEventTypes.Test, timestamp = now, data = new { webhookId = subscriptionId } }, WebhookOutbox.Json);
        await using var command = dataSource.CreateCommand(
            """
            WITH e AS (
                INSERT INTO webhook_event (id, tenant_id, type, job_id, payload, created_at, fanned_out_at)
                VALUES ($1, $2, 'webhook.test', NULL, $3::jsonb, clock_timestamp(), clock_timestamp())
                RETURNING id, created_at)
            INSERT INTO webhook_delivery (id, subscription_id, event_id, tenant_id, job_id, event_created_at, status, attempts, next_attempt_at, retry_until, created_at)
            SELECT $4, $5, e.id, $2, NULL, e.created_at, 'pending', 0, clock_timestamp(), clock_timestamp() + interval '1 hour', clock_timestamp() FROM e
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        command.Parameters.Add(new NpgsqlParameter { Value = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = payload });
        command.Parameters.Add(new NpgsqlParameter { Value = deliveryId });
        command.Parameters.Add(new NpgsqlParameter { Value = subscriptionId });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return deliveryId;
    }

    public async Task<bool> RedeliverAsync(Guid subscriptionId, Guid deliveryId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE webhook_delivery SET status = 'pending', next_attempt_at = clock_timestamp(), locked_until = NULL, retry_until = clock_timestamp() + interval '1 day'
            WHERE id = $1 AND subscription_id = $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = deliveryId });
        command.Parameters.Add(new NpgsqlParameter { Value = subscriptionId });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The <c>webhook-id</c> of an event: the same on every attempt, so receivers can deduplicate.</summary>
    public static string MessageId(Guid eventId) => $"msg_{eventId:N}";
}
