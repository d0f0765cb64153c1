using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MediaPlatform.Application.Processing;
using MediaPlatform.Application.Webhooks;
using MediaPlatform.Domain.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MediaPlatform.Infrastructure.Webhooks;

/// <summary>
/// Turns outbox rows into signed HTTP deliveries (docs/adr/0014). A round fans new events out to the subscriptions of
/// their tenant that want them and existed when the event happened (one <c>webhook_delivery</c> per pair), then sends the deliveries that are due, each
/// claimed with <c>FOR UPDATE SKIP LOCKED</c> under a short lock so any number of worker processes share the work.
/// Per subscription and job, a delivery waits until the earlier ones ended (ordering per job). Each attempt is
/// signed as Standard Webhooks asks (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>); 2xx
/// delivers it; a network error, a timeout, 408, 429 or 5xx retries it with exponential backoff and jitter (at least
/// as late as the receiver's <c>Retry-After</c>) until <see cref="WebhookOptions.RetryForHours"/>; any other 4xx, or
/// an address the guard refuses, ends it. A subscription with nothing delivered for
/// <see cref="WebhookOptions.DisableAfterHours"/> is disabled with the reason.
/// </summary>
internal sealed partial class WebhookDispatcher(
    NpgsqlDataSource dataSource,
    IHttpClientFactory httpClients,
    IWebhookUrlGuard guard,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger)
{
    public const string HttpClientName = "webhooks";
    private const int MaxRedirects = 3;
    private const int BatchSize = 20;

    private WebhookOptions Settings => options.Value;

    /// <summary>One round; true when there was something to do (the caller then goes again at once).</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var events = await FanOutAsync(cancellationToken);
        var claimed = await ClaimDueAsync(cancellationToken);
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, DeliverAsync);
        return events > 0 || claimed.Count > 0;
    }

    /// <summary>
    /// Removes what is no longer needed: finished deliveries older than <see cref="WebhookOptions.KeepDays"/>, then
    /// events fanned out over an hour ago that no delivery refers to (the events no subscription wanted, most of them).
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "DELETE FROM webhook_delivery WHERE status <> 'pending' AND created_at < clock_timestamp() - make_interval(days => $1)")
        {
            Parameters = { new NpgsqlParameter { Value = Settings.KeepDays } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            """
            DELETE FROM webhook_event AS e
            WHERE e.fanned_out_at < clock_timestamp() - interval '1 hour'
              AND NOT EXISTS (SELECT 1 FROM webhook_delivery AS d WHERE d.event_id = e.id)
            """));
        return await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<int> FanOutAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH e AS (
                SELECT id, tenant_id, type, job_id, created_at FROM webhook_event
                WHERE fanned_out_at IS NULL ORDER BY created_at LIMIT 200 FOR UPDATE SKIP LOCKED),
            made AS (
                INSERT INTO webhook_delivery (id, subscription_id, event_id, tenant_id, job_id, event_created_at, status, attempts, next_attempt_at, retry_until, created_at)
                SELECT gen_random_uuid(), s.id, e.id, e.tenant_id, e.job_id, e.created_at, 'pending', 0, clock_timestamp(), clock_timestamp() + $1, clock_timestamp()
                FROM e JOIN webhook_subscription AS s
                  ON s.tenant_id = e.tenant_id AND s.disabled_at IS NULL AND s.created_at <= e.created_at
                 AND (e.type = ANY (s.events) OR '*' = ANY (s.events))
                RETURNING 1),
            made_for_jobs AS (
                INSERT INTO webhook_delivery (id, subscription_id, url, headers, event_id, tenant_id, job_id, event_created_at, status, attempts, next_attempt_at, retry_until, created_at)
                SELECT gen_random_uuid(), NULL, j.options -> 'webhook' ->> 'url', j.options -> 'webhook' -> 'headers', e.id, e.tenant_id, e.job_id, e.created_at,
                    'pending', 0, clock_timestamp(), clock_timestamp() + $1, clock_timestamp()
                FROM e JOIN job AS j ON j.id = e.job_id
                WHERE e.type = ANY ($2) AND j.options -> 'webhook' ->> 'url' IS NOT NULL
                RETURNING 1)
            UPDATE webhook_event SET fanned_out_at = clock_timestamp() WHERE id IN (SELECT id FROM e)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = TimeSpan.FromHours(Settings.RetryForHours) });
        command.Parameters.Add(new NpgsqlParameter { Value = WebhookEventTypes.JobEnded.ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<List<Claimed>> ClaimDueAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE webhook_delivery AS d SET locked_until = clock_timestamp() + interval '2 minutes', attempts = d.attempts + 1
            FROM (
                SELECT c.id FROM webhook_delivery AS c
                WHERE c.status = 'pending' AND c.next_attempt_at <= clock_timestamp()
                  AND (c.locked_until IS NULL OR c.locked_until < clock_timestamp())
                  AND NOT EXISTS (
                      SELECT 1 FROM webhook_delivery AS o
                      WHERE o.subscription_id = c.subscription_id AND o.job_id = c.job_id AND o.status = 'pending'
                        AND (o.event_created_at, o.id) < (c.event_created_at, c.id))
                ORDER BY c.next_attempt_at LIMIT {BatchSize}
                FOR UPDATE SKIP LOCKED) AS picked
            WHERE d.id = picked.id
            RETURNING d.id, d.subscription_id, d.event_id, d.attempts, d.retry_until,
                COALESCE(d.url, (SELECT s.url FROM webhook_subscription AS s WHERE s.id = d.subscription_id)),
                CASE WHEN d.subscription_id IS NULL
                    THEN (SELECT t.job_webhook_secret FROM tenant AS t WHERE t.id = d.tenant_id)
                    ELSE (SELECT s.secret FROM webhook_subscription AS s WHERE s.id = d.subscription_id) END,
                CASE WHEN d.subscription_id IS NULL
                    THEN (SELECT t.previous_job_webhook_secret FROM tenant AS t
                          WHERE t.id = d.tenant_id AND t.previous_job_webhook_secret_expires_at > clock_timestamp())
                    ELSE (SELECT s.previous_secret FROM webhook_subscription AS s
                          WHERE s.id = d.subscription_id AND s.previous_secret_expires_at > clock_timestamp()) END,
                (SELECT e.payload::text FROM webhook_event AS e WHERE e.id = d.event_id),
                COALESCE(d.headers, (SELECT s.headers FROM webhook_subscription AS s WHERE s.id = d.subscription_id))::text
            """);
        var claimed = new List<Claimed>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new Claimed(
                reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetGuid(2), reader.GetInt32(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8),
                reader.IsDBNull(9) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(9))));
        }

        return claimed;
    }

    private async ValueTask DeliverAsync(Claimed delivery, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = await SendAsync(delivery, cancellationToken);
        var latency = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var now = time.GetUtcNow();
        if (outcome.Delivered)
        {
            await RecordAsync(delivery, "delivered", outcome, latency, null, cancellationToken);
            return;
        }

        var retry = outcome.Retry && now < delivery.RetryUntil;
        DateTimeOffset? next = null;
        if (retry)
        {
            var backoff = new RetryPolicy(TimeSpan.FromSeconds(Settings.RetryBaseSeconds), TimeSpan.FromSeconds(Settings.RetryMaxSeconds))
                .DelayAfter(delivery.Attempts, Random.Shared);
            next = now + (outcome.RetryAfter is { } after && after > backoff ? after : backoff);
        }

        LogFailed(logger, delivery.Id, delivery.Attempts, outcome.StatusCode, outcome.Error ?? "", retry);
        await RecordAsync(delivery, retry ? "pending" : "failed", outcome, latency, next, cancellationToken);
        if (!retry && delivery.SubscriptionId is { } subscription)
        {
            await DisableIfFailingAsync(subscription, cancellationToken);
        }
    }

    private async Task<Outcome> SendAsync(Claimed delivery, CancellationToken cancellationToken)
    {
        if (delivery.Secret is null)
        {
            return new Outcome(false, false, null, null, "The tenant has no job webhook secret to sign with (POST /api/v1/webhooks/job-secret issues one).");
        }

        var client = httpClients.CreateClient(HttpClientName);
        var url = new Uri(delivery.Url);
        var origin = url;
        var messageId = WebhookDeliveries.MessageId(delivery.EventId);
        for (var hop = 0; ; hop++)
        {
            // The address is checked again at every attempt and every redirect: DNS can change after the subscription.
            var allowed = await guard.CheckAsync(url, cancellationToken);
            if (allowed.IsFailure)
            {
                return new Outcome(false, false, null, null, allowed.Error!.Message);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(Settings.TimeoutSeconds));
            // The receiver's own headers (often a credential) go to its own origin only, never to where it redirects.
            var sameOrigin = Uri.Compare(url, origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
            using var request = Sign(new HttpRequestMessage(HttpMethod.Post, url), delivery, messageId, sameOrigin);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new Outcome(false, true, null, null, $"No answer within {Settings.TimeoutSeconds:0.#} s.");
            }
            catch (HttpRequestException ex)
            {
                return new Outcome(false, true, null, null, ex.Message);
            }

            using (response)
            {
                var code = (int)response.StatusCode;
                if (code is >= 300 and < 400 && response.Headers.Location is { } location && hop < MaxRedirects)
                {
                    url = location.IsAbsoluteUri ? location : new Uri(url, location);
                    continue;
                }

                var retryAfter = response.Headers.RetryAfter is { } ra
                    ? ra.Delta ?? (ra.Date is { } date ? date - time.GetUtcNow() : null)
                    : null;
                return code switch
                {
                    >= 200 and < 300 => new Outcome(true, false, code, null, null),
                    408 or 429 or >= 500 => new Outcome(false, true, code, retryAfter, $"The receiver answered {code}."),
                    _ => new Outcome(false, false, code, null, $"The receiver answered {code}; a 4xx other than 408 and 429 ends the delivery."),
                };
            }
        }
    }

    /// <summary>
    /// Standard Webhooks: <c>v1,</c> + base64 of HMAC-SHA256, keyed with the secret's bytes, over
    /// <c>id.timestamp.body</c>; during a rotation's overlap a second signature with the previous secret, space-separated.
    /// </summary>
    private HttpRequestMessage Sign(HttpRequestMessage request, Claimed delivery, string messageId, bool withCustomHeaders)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{delivery.Payload}");
        var signatures = new[] { delivery.Secret, delivery.PreviousSecret }
            .OfType<string>()
            .Select(secret => "v1," + Convert.ToBase64String(HMACSHA256.HashData(Key(secret), signed)));
        request.Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json");
        request.Headers.Add("webhook-id", messageId);
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.TryAddWithoutValidation("webhook-signature", string.Join(' ', signatures));
        request.Headers.UserAgent.ParseAdd("MediaPlatform-Webhooks/1");
        // The receiver's own headers (checked when they were saved: none of the ones set above).
        foreach (var (name, value) in withCustomHeaders ? delivery.Headers ?? [] : [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static byte[] Key(string secret) => Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);

    private async Task RecordAsync(Claimed delivery, string status, Outcome outcome, int latency, DateTimeOffset? next, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE webhook_delivery SET status = $2, locked_until = NULL, last_status_code = $3, last_latency_ms = $4, last_error = $5,
                next_attempt_at = COALESCE($6, next_attempt_at), delivered_at = CASE WHEN $2 = 'delivered' THEN clock_timestamp() END
            WHERE id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = delivery.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = status });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)outcome.StatusCode ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = latency });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)outcome.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)next ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>A subscription older than the window with nothing delivered in it and a delivery that failed for good is disabled.</summary>
    private async Task DisableIfFailingAsync(Guid subscriptionId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE webhook_subscription AS s
            SET disabled_at = clock_timestamp(), updated_at = clock_timestamp(),
                disabled_reason = 'Every delivery failed for ' || $2::text || ' hours; fix the receiver, then create the subscription again.'
            WHERE s.id = $1 AND s.disabled_at IS NULL AND s.created_at < clock_timestamp() - make_interval(secs => $2 * 3600)
              AND NOT EXISTS (SELECT 1 FROM webhook_delivery AS d WHERE d.subscription_id = s.id AND d.delivered_at > clock_timestamp() - make_interval(secs => $2 * 3600))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = subscriptionId });
        command.Parameters.Add(new NpgsqlParameter { Value = Settings.DisableAfterHours });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            LogDisabled(logger, subscriptionId, Settings.DisableAfterHours);
        }
    }

    private sealed record Claimed(
        Guid Id, Guid? SubscriptionId, Guid EventId, int Attempts, DateTimeOffset RetryUntil, string Url, string? Secret, string? PreviousSecret, string Payload,
        Dictionary<string, string>? Headers);

    private sealed record Outcome(bool Delivered, bool Retry, int? StatusCode, TimeSpan? RetryAfter, string? Error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} attempt {Attempt} failed ({StatusCode}: {Error}); retried: {Retry}")]
    private static partial void LogFailed(ILogger logger, Guid deliveryId, int attempt, int? statusCode, string error, bool retry);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook subscription {SubscriptionId} disabled: nothing delivered for {Hours} hours")]
    private static partial void LogDisabled(ILogger logger, Guid subscriptionId, double hours);
}
