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
    public const string MediaReady = "media.ready";
    public const string All = "*";

    /// <summary>The ping sent by <c>POST /api/v1/webhooks/{id}/test</c>; never subscribed to.</summary>
    public const string Test = "webhook.test";

    public static readonly IReadOnlyList<string> Known = [JobStarted, JobSucceeded, JobFailed, JobCancelled, MediaReady];

    /// <summary>Whether a subscription to <paramref name="subscribed"/> asks for <paramref name="eventType"/>.</summary>
    public static bool Matches(IEnumerable<string> subscribed, string eventType) =>
        subscribed.Contains(All) || subscribed.Contains(eventType);

    /// <summary>The events that end a job: the ones a job's own webhook (<c>webhook</c> on submit) is told of.</summary>
    public static readonly IReadOnlyList<string> JobEnded = [JobSucceeded, JobFailed, JobCancelled];

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
        Headers = [];
    }

    private WebhookSubscription(Guid id, string url, string[] events, string? description, IReadOnlyDictionary<string, string> headers, string secret, DateTimeOffset now)
    {
        Id = id;
        Url = url;
        Events = events;
        Description = description;
        Headers = new Dictionary<string, string>(headers);
        Secret = secret;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public Guid Id { get; private set; }

    public TenantId TenantId { get; private set; }

    public string Url { get; private set; }

    public string[] Events { get; private set; }

    public string? Description { get; private set; }

    /// <summary>Custom request headers sent with every delivery (<see cref="WebhookHeaders"/>); replaced whole, never edited in place.</summary>
    public Dictionary<string, string> Headers { get; private set; }

    public string Secret { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The secret before the last rotation, still signing deliveries (beside the new one) until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; private set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }

    public DateTimeOffset? DisabledAt { get; private set; }

    public string? DisabledReason { get; private set; }

    public static Result<WebhookSubscription> Create(
        string url, IReadOnlyCollection<string> events, string? description, string secret, DateTimeOffset now, IReadOnlyDictionary<string, string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        if (CheckUrl(url) is { } badUrl)
        {
            return badUrl;
        }

        if (CheckEvents(events) is { } badEvents)
        {
            return badEvents;
        }

        if (CheckDescription(description) is { } badDescription)
        {
            return badDescription;
        }

        var checkedHeaders = WebhookHeaders.Check(headers);
        if (checkedHeaders.IsFailure)
        {
            return checkedHeaders.Error!;
        }

        return new WebhookSubscription(Guid.CreateVersion7(), url, [.. events.Distinct(StringComparer.Ordinal)], description, checkedHeaders.Value, secret, now);
    }

    /// <summary>
    /// Changes what is given (null: kept). <paramref name="description"/> and <paramref name="headers"/> are set as
    /// given when <paramref name="setDescription"/> / <paramref name="setHeaders"/> (null removes them);
    /// <paramref name="enabled"/> true enables a disabled subscription again, false disables it.
    /// </summary>
    public Result Update(
        string? url, IReadOnlyCollection<string>? events, bool setDescription, string? description, bool setHeaders,
        IReadOnlyDictionary<string, string>? headers, bool? enabled, DateTimeOffset now)
    {
        if (url is not null && CheckUrl(url) is { } badUrl)
        {
            return badUrl;
        }

        if (events is not null && CheckEvents(events) is { } badEvents)
        {
            return badEvents;
        }

        if (setDescription && CheckDescription(description) is { } badDescription)
        {
            return badDescription;
        }

        var checkedHeaders = WebhookHeaders.Check(headers);
        if (setHeaders && checkedHeaders.IsFailure)
        {
            return checkedHeaders.Error!;
        }

        Url = url ?? Url;
        Events = events is null ? Events : [.. events.Distinct(StringComparer.Ordinal)];
        Description = setDescription ? description : Description;
        Headers = setHeaders ? new Dictionary<string, string>(checkedHeaders.Value) : Headers;
        if (enabled == true)
        {
            DisabledAt = null;
            DisabledReason = null;
        }
        else if (enabled == false)
        {
            Disable("Disabled by its owner.", now);
        }

        UpdatedAt = now;
        return Result.Success();
    }

    private static Error? CheckUrl(string url) =>
        !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || url.Length > MaxUrlLength
            ? Error.Validation("webhook.url_invalid", $"url must be an absolute http(s) URL of at most {MaxUrlLength} characters.")
            : null;

    private static Error? CheckEvents(IReadOnlyCollection<string> events)
    {
        var unknown = events.Where(e => !WebhookEventTypes.IsKnown(e)).ToList();
        return events.Count == 0 || unknown.Count > 0
            ? Error.Validation(
                "webhook.events_invalid",
                $"events must name one or more of {string.Join(", ", WebhookEventTypes.Known)} (or * for all){(unknown.Count > 0 ? $"; unknown: {string.Join(", ", unknown)}" : string.Empty)}.")
            : null;
    }

    private static Error? CheckDescription(string? description) =>
        description is { Length: > MaxDescriptionLength }
            ? Error.Validation("webhook.description_too_long", $"description is at most {MaxDescriptionLength} characters.")
            : null;

    public bool Wants(string eventType) => DisabledAt is null && WebhookEventTypes.Matches(Events, eventType);

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
