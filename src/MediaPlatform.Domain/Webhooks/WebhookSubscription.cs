using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Domain.Webhooks;

/// <summary>The events a subscription may ask for; <c>*</c> is every one of them.</summary>
public static class WebhookEventTypes
{
    public const string JobStarted = "job.started";
    public const string JobSucceeded = "job.succeeded";
    public const string JobFailed = "job.failed";
    public const string JobCancelled = "job.cancelled";
    public const string All = "*";

    /// <summary>The ping sent by <c>POST /api/v1/webhooks/{id}/test</c>; never subscribed to.</summary>
    public const string Test = "webhook.test";

    public static readonly IReadOnlyList<string> Known = [JobStarted, JobSucceeded, JobFailed, JobCancelled];

    public static bool IsKnown(string type) => type == All || Known.Contains(type, StringComparer.Ordinal);
}

/// <summary>
/// A tenant's request to be told about events by a signed HTTP POST to <see cref="Url"/> (Standard Webhooks). Its
/// <see cref="Secret"/> (<c>whsec_</c> + base64) signs every delivery; it is shown once, when the subscription is
/// created. A subscription whose deliveries keep failing for days is disabled with a reason.
/// </summary>
public sealed class WebhookSubscription : ITenantOwned
{
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 500;

    /// <summary>For EF Core's materialisation.</summary>
    private WebhookSubscription()
    {
        Url = null!;
        Events = [];
        Secret = null!;
    }

    private WebhookSubscription(Guid id, string url, string[] events, string? description, string secret, DateTimeOffset now)
    {
        Id = id;
        Url = url;
        Events = events;
        Description = description;
        Secret = secret;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }

    public TenantId TenantId { get; private set; }

    public string Url { get; private set; }

    public string[] Events { get; private set; }

    public string? Description { get; private set; }

    public string Secret { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The secret before the last rotation, still signing deliveries (beside the new one) until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; private set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }

    public DateTimeOffset? DisabledAt { get; private set; }

    public string? DisabledReason { get; private set; }

    public static Result<WebhookSubscription> Create(string url, IReadOnlyCollection<string> events, string? description, string secret, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || url.Length > MaxUrlLength)
        {
            return Error.Validation("webhook.url_invalid", $"url must be an absolute http(s) URL of at most {MaxUrlLength} characters.");
        }

        var unknown = events.Where(e => !WebhookEventTypes.IsKnown(e)).ToList();
        if (events.Count == 0 || unknown.Count > 0)
        {
            return Error.Validation(
                "webhook.events_invalid",
                $"events must name one or more of {string.Join(", ", WebhookEventTypes.Known)} (or * for all){(unknown.Count > 0 ? $"; unknown: {string.Join(", ", unknown)}" : string.Empty)}.");
        }

        if (description is { Length: > MaxDescriptionLength })
        {
            return Error.Validation("webhook.description_too_long", $"description is at most {MaxDescriptionLength} characters.");
        }

        return new WebhookSubscription(Guid.CreateVersion7(), url, [.. events.Distinct(StringComparer.Ordinal)], description, secret, now);
    }

    public bool Wants(string eventType) => DisabledAt is null && (Events.Contains(WebhookEventTypes.All) || Events.Contains(eventType));

    /// <summary>
    /// Replaces the secret; the old one keeps signing for <paramref name="overlap"/> (each delivery then carries both
    /// signatures), so receivers can switch without losing an event.
    /// </summary>
    public void RotateSecret(string secret, TimeSpan overlap, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        PreviousSecret = Secret;
        PreviousSecretExpiresAt = now + overlap;
        Secret = secret;
        UpdatedAt = now;
    }

    public void Disable(string reason, DateTimeOffset now)
    {
        DisabledAt ??= now;
        DisabledReason = reason;
        UpdatedAt = now;
    }
}
