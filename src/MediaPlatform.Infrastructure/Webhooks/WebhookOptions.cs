using System.ComponentModel.DataAnnotations;

namespace MediaPlatform.Infrastructure.Webhooks;

/// <summary>The <c>Webhooks</c> configuration section.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Allow webhook URLs on loopback, private and link-local addresses (receivers in development and tests).</summary>
    public bool AllowPrivateUrls { get; set; }

    /// <summary>Whether this worker process sends deliveries (false: it only writes events; other worker processes send them).</summary>
    public bool Dispatch { get; set; } = true;

    /// <summary>How long one delivery attempt may take (connect, send, answer).</summary>
    [Range(1, 120)]
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>The wait before the first retry; it doubles per attempt (with jitter) up to <see cref="RetryMaxSeconds"/>.</summary>
    [Range(0.01, 3600)]
    public double RetryBaseSeconds { get; set; } = 5;

    [Range(0.01, 86400)]
    public double RetryMaxSeconds { get; set; } = 3600;

    /// <summary>How long a delivery is retried before it is given up (at least a day, as receivers can be down that long).</summary>
    [Range(0.001, 720)]
    public double RetryForHours { get; set; } = 26;

    /// <summary>A subscription whose deliveries have all failed for this long is disabled, with the reason.</summary>
    [Range(0.001, 8760)]
    public double DisableAfterHours { get; set; } = 72;

    /// <summary>How long finished deliveries (and their events) are kept for <c>GET /api/v1/webhooks/{id}/deliveries</c>.</summary>
    [Range(1, 3650)]
    public int KeepDays { get; set; } = 7;

    /// <summary>How often the dispatcher looks for work when no notification wakes it.</summary>
    [Range(50, 60000)]
    public int PollMilliseconds { get; set; } = 1000;
}
