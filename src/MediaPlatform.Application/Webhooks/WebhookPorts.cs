using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Webhooks;

/// <summary>The address guard for webhook URLs: public addresses only, unless <c>Webhooks__AllowPrivateUrls</c>.</summary>
public interface IWebhookUrlGuard
{
    Task<Result> CheckAsync(Uri url, CancellationToken cancellationToken = default);
}

/// <summary>The deliveries of a subscription's events, newest first.</summary>
public interface IWebhookDeliveries
{
    Task<Page<WebhookDeliveryDto>> ListAsync(Guid subscriptionId, int limit, KeysetCursor? after, CancellationToken cancellationToken = default);

    /// <summary>Queues a <c>webhook.test</c> ping to this subscription alone; its delivery's id.</summary>
    Task<Guid> SendTestAsync(Guid subscriptionId, Domain.Tenants.TenantId tenant, CancellationToken cancellationToken = default);

    /// <summary>Queues the delivery again now (a new attempt with the same <c>webhook-id</c>); false when there is no such delivery.</summary>
    Task<bool> RedeliverAsync(Guid subscriptionId, Guid deliveryId, CancellationToken cancellationToken = default);
}

/// <summary>One event's delivery to one subscription: its state, attempts and the last answer.</summary>
public sealed record WebhookDeliveryDto(
    Guid Id,
    string EventId,
    string EventType,
    Guid? JobId,
    string Status,
    int Attempts,
    int? LastStatusCode,
    int? LastLatencyMs,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt);
