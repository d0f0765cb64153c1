using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Application.Tenants;

/// <summary>
/// A JSON merge patch of limits: a limit named in <see cref="Present"/> takes its value in <see cref="Values"/>
/// (null removes it); a limit not named keeps its current value.
/// </summary>
public sealed record TenantLimitsPatch(TenantLimits Values, IReadOnlySet<string> Present)
{
    public static readonly IReadOnlyList<string> Names =
        ["requestsPerMinute", "maxConcurrentJobs", "maxQueuedJobs", "storageBytes", "maxMediaSeconds", "retentionDays"];

    public TenantLimits ApplyTo(TenantLimits current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return new TenantLimits(
            Present.Contains("requestsPerMinute") ? Values.RequestsPerMinute : current.RequestsPerMinute,
            Present.Contains("maxConcurrentJobs") ? Values.MaxConcurrentJobs : current.MaxConcurrentJobs,
            Present.Contains("maxQueuedJobs") ? Values.MaxQueuedJobs : current.MaxQueuedJobs,
            Present.Contains("storageBytes") ? Values.StorageBytes : current.StorageBytes,
            Present.Contains("maxMediaSeconds") ? Values.MaxMediaSeconds : current.MaxMediaSeconds,
            Present.Contains("retentionDays") ? Values.RetentionDays : current.RetentionDays);
    }
}
