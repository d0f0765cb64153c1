using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Webhooks;

namespace MediaPlatform.Domain.Jobs;

/// <summary>
/// A job's own webhook (AssemblyAI-style <c>webhook</c> on submit): told of the job's end (succeeded, failed,
/// cancelled), signed with the tenant's job webhook secret, with these custom headers.
/// </summary>
public sealed record JobWebhook(string Url, IReadOnlyDictionary<string, string> Headers)
{
    public static Result<JobWebhook> Create(string? url, IReadOnlyDictionary<string, string>? headers)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || url.Length > WebhookSubscription.MaxUrlLength)
        {
            return Error.Validation("webhook.url_invalid", $"webhook.url must be an absolute http(s) URL of at most {WebhookSubscription.MaxUrlLength} characters.");
        }

        var checkedHeaders = WebhookHeaders.Check(headers);
        return checkedHeaders.IsFailure ? checkedHeaders.Error! : new JobWebhook(url.Trim(), checkedHeaders.Value);
    }

    public bool Equals(JobWebhook? other) =>
        other is not null && Url == other.Url && Headers.Count == other.Headers.Count
        && Headers.All(h => other.Headers.TryGetValue(h.Key, out var v) && v == h.Value);

    public override int GetHashCode() => HashCode.Combine(Url, Headers.Count);
}
