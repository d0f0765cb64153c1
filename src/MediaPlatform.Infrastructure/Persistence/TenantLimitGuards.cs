using System.Globalization;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MediaPlatform.Infrastructure.Persistence;

/// <summary>
/// Reads the refusals of the database's tenant-limit triggers (migration TenantQuotaGuards): SQLSTATE MP507 for
/// storageBytes, MP429 for maxQueuedJobs, with the limit and the usage in the message (the detail field is redacted
/// by Npgsql), and turns them into the same errors the handlers return.
/// </summary>
internal static class TenantLimitGuards
{
    public const string StorageState = "MP507";
    public const string QueueState = "MP429";

    public static LimitExceededException? Translate(DbUpdateException exception) =>
        exception.InnerException is PostgresException pg ? Translate(pg, exception) : null;

    private static LimitExceededException? Translate(PostgresException pg, Exception cause)
    {
        var parts = pg.MessageText.Split(' ');
        if (parts.Length != 3
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var used))
        {
            return null;
        }

        return pg.SqlState switch
        {
            StorageState => new LimitExceededException(TenantErrors.StorageFull(limit, used), cause),
            QueueState => new LimitExceededException(TenantErrors.QueueFull((int)limit), cause),
            _ => null,
        };
    }
}
