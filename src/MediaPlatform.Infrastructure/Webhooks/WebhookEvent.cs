namespace MediaPlatform.Infrastructure.Webhooks;

/// <summary>
/// An outbox row: an event the webhooks must announce, inserted in the transaction that made the change (table
/// <c>webhook_event</c>). Its id is the deliveries' <c>webhook-id</c> (<c>msg_</c> + the id), the same on every retry.
/// </summary>
internal sealed class WebhookEvent
{
    public Guid Id { get; set; }

    public Domain.Tenants.TenantId TenantId { get; set; }

    public required string Type { get; set; }

    public Guid? JobId { get; set; }

    /// <summary>The body every subscriber receives: <c>{ type, timestamp, data }</c>.</summary>
    public required string Payload { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the dispatcher made the event's deliveries (one per subscription that wants it).</summary>
    public DateTimeOffset? FannedOutAt { get; set; }
}
