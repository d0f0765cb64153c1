namespace MediaPlatform.Domain.Webhooks;

/// <summary>The caller's tenant's webhook subscriptions.</summary>
public interface IWebhookSubscriptionRepository
{
    void Add(WebhookSubscription subscription);

    void Remove(WebhookSubscription subscription);

    Task<WebhookSubscription?> GetAsync(Guid id, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken = default);
}
