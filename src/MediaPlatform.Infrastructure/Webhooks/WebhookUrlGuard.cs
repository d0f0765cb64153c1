using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Webhooks;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Infrastructure.Webhooks;

/// <summary>
/// The media URL guard (public unicast addresses only) with the webhooks' own <c>Webhooks__AllowPrivateUrls</c>, its
/// refusals worded for webhooks. Checked when a subscription is made and again before every delivery and redirect.
/// </summary>
internal sealed class WebhookUrlGuard(IUrlGuard guard) : IWebhookUrlGuard
{
    public async Task<Result> CheckAsync(Uri url, CancellationToken cancellationToken = default)
    {
        var checkedUrl = await guard.CheckAsync(url, cancellationToken);
        return checkedUrl.Error switch
        {
            null => checkedUrl,
            { Code: "media.url_forbidden" } e => e with
            {
                Code = "webhook.url_forbidden",
                Message = $"The webhook URL's host '{url.Host}' is not on a public address; events are not posted into private networks (set Webhooks__AllowPrivateUrls for a receiver there).",
            },
            { Code: "media.url_unresolvable" } e => e with { Code = "webhook.url_unresolvable", Message = $"The webhook URL's host '{url.Host}' cannot be resolved from this service." },
            { Code: "media.url_scheme" } e => e with { Code = "webhook.url_invalid", Message = "A webhook URL must be http or https." },
            var e => e,
        };
    }
}
