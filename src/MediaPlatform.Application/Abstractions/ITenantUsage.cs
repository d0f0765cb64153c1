using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Application.Abstractions;

/// <summary>What a tenant uses now, counted from the stored rows (read side).</summary>
public interface ITenantUsage
{
    Task<TenantUsage> GetAsync(TenantId tenantId, CancellationToken cancellationToken = default);
}

/// <summary>Jobs running and queued, and the bytes of stored media.</summary>
public sealed record TenantUsage(int RunningJobs, int QueuedJobs, long StorageBytes);
