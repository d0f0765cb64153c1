using MediaPlatform.Domain.Common;

namespace MediaPlatform.Domain.Tenants;

public static class TenantErrors
{
    public static Error NotFound(TenantId id) => Error.NotFound("tenant.not_found", $"There is no tenant '{id}'.");

    public static Error NameTaken(string name) => Error.Conflict("tenant.name_taken", $"A tenant named '{name}' already exists.");

    public static Error KeyNotFound(ApiKeyId id) => Error.NotFound("api_key.not_found", $"There is no API key '{id}' for this tenant.");

    public static Error CannotDeleteOwnTenant() =>
        Error.Conflict("tenant.own_tenant", "A key cannot delete its own tenant: use an admin key of another tenant.");

    public static Error QueueFull(int limit) =>
        Error.QuotaExceeded("tenant.max_queued_jobs", $"The tenant already has {limit} queued job{(limit == 1 ? "" : "s")}, its limit maxQueuedJobs; wait for some to run, or raise the limit.");

    public static Error StorageFull(long limit, long used) =>
        Error.InsufficientStorage("tenant.storage_bytes", $"The tenant's media would exceed its limit storageBytes ({limit} bytes; {used} in use). Delete media, or raise the limit.");

    public static Error MediaTooLong(int limit, TimeSpan duration) =>
        Error.Unprocessable("tenant.max_media_seconds", $"The media lasts {duration.TotalSeconds:0.#} s, longer than the tenant's limit maxMediaSeconds ({limit} s).");
}
