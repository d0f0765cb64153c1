using MediaPlatform.Domain.Common;

namespace MediaPlatform.Domain.Tenants;

/// <summary>An organisation or team using the platform: it owns media, jobs and results, and has limits.</summary>
public sealed class Tenant : AggregateRoot<TenantId>
{
    public const int MaxNameLength = 100;
    public const string DefaultName = "default";

    private Tenant(TenantId id, string name, TenantLimits limits, DateTimeOffset now)
        : base(id)
    {
        Name = name;
        Limits = limits;
        CreatedAt = now;
        UpdatedAt = now;
    }

    // For EF Core materialisation.
    private Tenant()
        : base(default)
    {
        Name = string.Empty;
        Limits = TenantLimits.None;
    }

    /// <summary>Unique among tenants.</summary>
    public string Name { get; private set; }

    public TenantLimits Limits { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Signs the deliveries of jobs' own webhooks (<c>webhook</c> on submit); null until first issued.</summary>
    public string? JobWebhookSecret { get; private set; }

    /// <summary>The job webhook secret before the last rotation, still signing beside the new one until <see cref="PreviousJobWebhookSecretExpiresAt"/>.</summary>
    public string? PreviousJobWebhookSecret { get; private set; }

    public DateTimeOffset? PreviousJobWebhookSecretExpiresAt { get; private set; }

    /// <summary>Issues the job webhook secret, or replaces it; the old one keeps signing for <paramref name="overlap"/>.</summary>
    public void RotateJobWebhookSecret(string secret, TimeSpan overlap, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        if (JobWebhookSecret is not null)
        {
            PreviousJobWebhookSecret = JobWebhookSecret;
            PreviousJobWebhookSecretExpiresAt = now + overlap;
        }

        JobWebhookSecret = secret;
        UpdatedAt = now;
    }

    public static Result<Tenant> Create(string name, TenantLimits? limits, DateTimeOffset now) =>
        Create(TenantId.New(), name, limits, now);

    public static Result<Tenant> Create(TenantId id, string name, TenantLimits? limits, DateTimeOffset now)
    {
        var checkedName = ValidateName(name);
        if (checkedName.IsFailure)
        {
            return checkedName.Error!;
        }

        limits ??= TenantLimits.None;
        var valid = limits.Validate();
        return valid.IsFailure ? valid.Error! : new Tenant(id, name.Trim(), limits, now);
    }

    public Result Rename(string name, DateTimeOffset now)
    {
        var checkedName = ValidateName(name);
        if (checkedName.IsFailure)
        {
            return checkedName;
        }

        Name = name.Trim();
        UpdatedAt = now;
        return Result.Success();
    }

    public Result ChangeLimits(TenantLimits limits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var valid = limits.Validate();
        if (valid.IsFailure)
        {
            return valid;
        }

        Limits = limits;
        UpdatedAt = now;
        return Result.Success();
    }

    private static Result ValidateName(string? name)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > MaxNameLength || trimmed.Any(char.IsControl))
        {
            return Error.Validation("tenant.name_invalid", $"A tenant name is 1 to {MaxNameLength} printable characters.");
        }

        return Result.Success();
    }
}
