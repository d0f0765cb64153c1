namespace MediaPlatform.Application.Jobs;

/// <summary>
/// <c>webhook</c> on a submitted job: where to post the job's end (job.succeeded, job.failed, job.cancelled), with
/// optional custom headers; signed with the tenant's job webhook secret (<c>POST /api/v1/webhooks/job-secret</c>).
/// </summary>
public sealed record JobWebhookRequest(string? Url, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>A job's own webhook as clients see it: the address and the names of its custom headers (never their values).</summary>
public sealed record JobWebhookDto(string Url, IReadOnlyList<string> HeaderNames)
{
    internal static JobWebhookDto? Of(Domain.Jobs.Job job) =>
        job.Options.Webhook is { } webhook ? new(webhook.Url, [.. webhook.Headers.Keys.Order(StringComparer.OrdinalIgnoreCase)]) : null;
}
