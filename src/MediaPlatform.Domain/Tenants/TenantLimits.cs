using MediaPlatform.Domain.Common;

namespace MediaPlatform.Domain.Tenants;

/// <summary>
/// What a tenant may use. Each limit is optional (null means unlimited) and, when set, at least 1.
/// </summary>
public sealed record TenantLimits(
    int? RequestsPerMinute = null,
    int? MaxConcurrentJobs = null,
    int? MaxQueuedJobs = null,
    long? StorageBytes = null,
    int? MaxMediaSeconds = null,
    int? RetentionDays = null)
{
    public const int MaxRequestsPerMinute = 1_000_000;
    public const int MaxJobs = 1_000_000;
    public const int MaxRetentionDays = 36_500;
    public const int MaxMediaSecondsLimit = 7 * 24 * 3600;

    public static readonly TenantLimits None = new();

    /// <summary>Every limit out of range, in one validation error, or success.</summary>
    public Result Validate()
    {
        var problems = new List<string>();
        Check(problems, "requestsPerMinute", RequestsPerMinute, MaxRequestsPerMinute);
        Check(problems, "maxConcurrentJobs", MaxConcurrentJobs, MaxJobs);
        Check(problems, "maxQueuedJobs", MaxQueuedJobs, MaxJobs);
        Check(problems, "storageBytes", StorageBytes, long.MaxValue);
        Check(problems, "maxMediaSeconds", MaxMediaSeconds, MaxMediaSecondsLimit);
        Check(problems, "retentionDays", RetentionDays, MaxRetentionDays);
        return problems.Count == 0
            ? Result.Success()
            : Error.Validation("tenant.limits_invalid", string.Join(" ", problems));
    }

    /// <summary>When a row created at <paramref name="createdAt"/> is deleted by the retention sweeper, or null when kept.</summary>
    public DateTimeOffset? ExpiryOf(DateTimeOffset createdAt) =>
        RetentionDays is { } days ? createdAt.AddDays(days) : null;

    private static void Check(List<string> problems, string name, long? value, long max)
    {
        if (value is { } v && (v < 1 || v > max))
        {
            problems.Add($"{name} must be between 1 and {max} (or null for no limit), not {v}.");
        }
    }
}
