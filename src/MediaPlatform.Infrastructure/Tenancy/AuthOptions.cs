using System.ComponentModel.DataAnnotations;

namespace MediaPlatform.Infrastructure.Tenancy;

/// <summary>The <c>Auth</c> section: the bootstrap key and how long key lookups are cached.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// The admin key to create when the database holds no key at all, instead of a generated one (which is written
    /// to <see cref="KeyFile"/>). Must look like a key: <c>mp_live_</c> and 43 letters or digits.
    /// </summary>
    public string? BootstrapKey { get; set; }

    /// <summary>Where a generated bootstrap key is written (mode 600); default <c>$MEDIAPLATFORM_DATA/admin.key</c>, else <c>.data/admin.key</c>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>How long an answer about a key is reused; a revocation reaches every process within this time.</summary>
    [Range(0, 10)]
    public double CacheSeconds { get; set; } = 2;

    /// <summary>lastUsedAt is written at most this often per key, so a busy key does not cost a write per request.</summary>
    [Range(1, 3600)]
    public int LastUsedWriteSeconds { get; set; } = 60;

    public string ResolveKeyFile() =>
        !string.IsNullOrWhiteSpace(KeyFile)
            ? KeyFile
            : Path.Combine(Environment.GetEnvironmentVariable("MEDIAPLATFORM_DATA") is { Length: > 0 } data ? data : ".data", "admin.key");
}
