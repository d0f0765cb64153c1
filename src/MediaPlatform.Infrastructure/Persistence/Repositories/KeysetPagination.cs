using MediaPlatform.Domain.Common;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Persistence.Repositories;

/// <summary>
/// Keyset pagination on (created_at, id), newest first. The cursor predicate is a SQL row comparison, which
/// PostgreSQL answers from the (created_at, id) index and which EF Core cannot express over strongly typed ids.
/// </summary>
internal static class KeysetPagination
{
    /// <summary>Rows of <paramref name="table"/> strictly after the cursor; every table here has created_at and id.</summary>
    public static IQueryable<T> After<T>(DbSet<T> set, string table, KeysetCursor? after)
        where T : class =>
        after is { } cursor
            // The table name is a constant of this assembly, never input; the cursor values are parameters.
#pragma warning disable EF1002
            ? set.FromSqlRaw($"SELECT t.*, t.xmin FROM {table} AS t WHERE (t.created_at, t.id) < ({{0}}, {{1}})", cursor.CreatedAt, cursor.Id)
#pragma warning restore EF1002
            : set;

    /// <summary>Turns <paramref name="limit"/> + 1 fetched rows into a page and the cursor of the next one.</summary>
    public static Page<T> ToPage<T>(List<T> rows, int limit, Func<T, KeysetCursor> cursorOf)
    {
        if (rows.Count <= limit)
        {
            return new Page<T>(rows, null);
        }

        rows.RemoveRange(limit, rows.Count - limit);
        return new Page<T>(rows, cursorOf(rows[^1]));
    }
}
