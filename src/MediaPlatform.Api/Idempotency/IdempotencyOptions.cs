using System.ComponentModel.DataAnnotations;

namespace MediaPlatform.Api.Idempotency;

/// <summary>The <c>Idempotency</c> configuration section.</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>How long a key and its stored response are kept (default 24 h).</summary>
    [Range(1, 24 * 30)]
    public int RetentionHours { get; set; } = 24;

    /// <summary>Largest JSON body hashed for idempotency and accepted by JSON endpoints (default 1 MiB).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxJsonBodyBytes { get; set; } = 1024 * 1024;
}
