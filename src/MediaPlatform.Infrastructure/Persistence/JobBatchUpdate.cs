using System.Text;
using MediaPlatform.Domain.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace MediaPlatform.Infrastructure.Persistence;

/// <summary>
/// Saves the changes of several jobs in one <c>UPDATE ... FROM unnest(...)</c> per set of changed columns, where EF
/// Core sends one <c>UPDATE</c> per job (docs/adr/0030). The queue's claims and group commits change dozens of jobs
/// in the same way at once; PostgreSQL then runs one statement instead of dozens, and the worker builds one command
/// instead of dozens. Nothing else changes: each job's changed columns only (so the triggers that name columns fire
/// as they did), each row still checked against the version (<c>xmin</c>) its aggregate was read at, a row that
/// changed meanwhile still a concurrency conflict that saves nothing, and the new versions written back.
/// </summary>
internal sealed partial class JobBatchUpdate
{
    /// <summary>Fewer modified jobs than this are saved by EF Core, one statement each, as any other entity.</summary>
    internal const int MinJobs = 2;

    /// <summary>The CLR types (of the values the database gets) this writer sends as arrays; a job with another changed column goes through EF Core.</summary>
    private static readonly HashSet<Type> Supported =
        [typeof(Guid), typeof(string), typeof(int), typeof(long), typeof(short), typeof(bool), typeof(double), typeof(DateTimeOffset), typeof(DateTime)];

    private readonly List<Group> _groups;

    private JobBatchUpdate(List<Group> groups, int count)
    {
        _groups = groups;
        Count = count;
    }

    /// <summary>How many jobs it writes.</summary>
    public int Count { get; }

    /// <summary>The modified jobs of <paramref name="context"/> (changes detected), or null when EF Core should save them.</summary>
    public static JobBatchUpdate? Plan(DbContext context)
    {
        var entries = new List<EntityEntry<Job>>();
        foreach (var entry in context.ChangeTracker.Entries<Job>())
        {
            if (entry.State == EntityState.Modified)
            {
                entries.Add(entry);
            }
        }

        if (entries.Count < MinJobs)
        {
            return null;
        }

        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var columns = new List<IProperty>();
            var key = new StringBuilder();
            foreach (var property in entry.Properties)
            {
                if (!property.IsModified)
                {
                    continue;
                }

                var metadata = (IProperty)property.Metadata;
                if (metadata.IsKey() || metadata.IsConcurrencyToken || metadata.ValueGenerated != ValueGenerated.Never || ProviderType(metadata) is not { } type || !Supported.Contains(type))
                {
                    return null;
                }

                columns.Add(metadata);
                key.Append(metadata.Name).Append(',');
            }

            if (columns.Count == 0)
            {
                return null;
            }

            if (!groups.TryGetValue(key.ToString(), out var group))
            {
                group = new Group(columns, []);
                groups.Add(key.ToString(), group);
            }

            group.Entries.Add(entry);
        }

        return new JobBatchUpdate([.. groups.Values], entries.Count);
    }

    /// <summary>
    /// Sends the statements in the context's current transaction and returns each job's new version; throws
    /// <see cref="DbUpdateConcurrencyException"/> when a job's row is gone or changed since it was read (the
    /// transaction must then be rolled back), <see cref="DbUpdateException"/> when the database refuses a row.
    /// </summary>
    public async Task<Dictionary<Guid, uint>> ExecuteAsync(DbContext context, CancellationToken cancellationToken)
    {
        var transaction = context.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
            ?? throw new InvalidOperationException("A batch of job updates runs inside a transaction.");
        var versions = new Dictionary<Guid, uint>(Count);
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        if (context.Database.GetCommandTimeout() is { } timeout)
        {
            batch.Timeout = timeout;
        }

        foreach (var group in _groups)
        {
            batch.BatchCommands.Add(group.Command());
        }

        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            do
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    versions[reader.GetGuid(0)] = reader.GetFieldValue<uint>(1);
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }
        catch (PostgresException ex)
        {
            throw new DbUpdateException($"The database refused a batch of {Count} job updates: {ex.MessageText}", ex);
        }

        if (versions.Count != Count)
        {
            throw new DbUpdateConcurrencyException($"{Count - versions.Count} of {Count} jobs were changed or deleted since they were read.");
        }

        return versions;
    }

    /// <summary>
    /// Takes the jobs out of EF Core's save (it would write them again): each written column's value becomes its
    /// original value and is no longer marked modified, which leaves the entry unchanged. (Setting the entry's state
    /// to unchanged instead would put the original values back into the aggregate; copying every value back costs a
    /// change detection per property.) <see cref="Restore"/> undoes it.
    /// </summary>
    public void Detach()
    {
        foreach (var group in _groups)
        {
            foreach (var entry in group.Entries)
            {
                var originals = new object?[group.Columns.Count];
                for (var i = 0; i < group.Columns.Count; i++)
                {
                    var column = entry.Property(group.Columns[i]);
                    originals[i] = column.OriginalValue;
                    column.OriginalValue = column.CurrentValue;
                    column.IsModified = false;
                }

                group.Originals.Add(originals);
            }
        }
    }

    /// <summary>After a failed save: the jobs are modified again, in the same columns and from the same values, so a retry writes them.</summary>
    public void Restore()
    {
        foreach (var group in _groups)
        {
            for (var e = 0; e < group.Originals.Count; e++)
            {
                for (var i = 0; i < group.Columns.Count; i++)
                {
                    var column = group.Entries[e].Property(group.Columns[i]);
                    column.OriginalValue = group.Originals[e][i];
                    column.IsModified = true;
                }
            }

            group.Originals.Clear();
        }
    }

    /// <summary>After the save: each job's new version.</summary>
    public void Accept(Dictionary<Guid, uint> versions)
    {
        foreach (var group in _groups)
        {
            group.Originals.Clear();
            foreach (var entry in group.Entries)
            {
                // By name: the lambda overload builds an expression tree on every call, on the queue's hot path.
                var version = entry.Property<uint>(nameof(Job.Version));
                version.CurrentValue = versions[entry.Entity.Id.Value];
                version.OriginalValue = version.CurrentValue;
                version.IsModified = false;
            }
        }
    }

    private static Type? ProviderType(IProperty property)
    {
        var type = property.GetTypeMapping().Converter?.ProviderClrType ?? property.ClrType;
        return Nullable.GetUnderlyingType(type) ?? type;
    }

    private sealed partial record Group(List<IProperty> Columns, List<EntityEntry<Job>> Entries)
    {
        /// <summary>The entries' original values while they are out of EF Core's save (<see cref="Detach"/>).</summary>
        public List<object?[]> Originals { get; } = [];

        /// <summary>
        /// <c>UPDATE job AS j SET c = v.c, ... FROM unnest(ids, versions, c, ...) AS v(...) WHERE j.id = v.id AND
        /// j.xmin = v.version RETURNING j.id, j.xmin</c>, each column an array parameter cast to the column's type.
        /// </summary>
        public NpgsqlBatchCommand Command()
        {
            var entity = Entries[0].Metadata;
            var id = entity.FindPrimaryKey()!.Properties.Single();
            var version = entity.GetProperties().Single(p => p.IsConcurrencyToken);
            var table = entity.GetTableName()!;
            var command = new NpgsqlBatchCommand();
            var names = new List<string> { "id", "version" };
            command.Parameters.Add(new NpgsqlParameter { Value = Values(id, Entries, original: true) });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Xid, Value = Values(version, Entries, original: true) });
            var sql = new StringBuilder($"UPDATE \"{table}\" AS j SET ");
            for (var i = 0; i < Columns.Count; i++)
            {
                var column = Columns[i].GetColumnName();
                sql.Append(i == 0 ? "" : ", ").Append($"\"{column}\" = v.c{i}");
                names.Add($"c{i}");
                command.Parameters.Add(new NpgsqlParameter { Value = Values(Columns[i], Entries, original: false) });
            }

            sql.Append($" FROM unnest($1::{ArrayElementType(id)}[], $2");
            for (var i = 0; i < Columns.Count; i++)
            {
                sql.Append($", ${i + 3}::{ArrayElementType(Columns[i])}[]");
            }

            sql.Append($") AS v({string.Join(", ", names)}) WHERE j.\"{id.GetColumnName()}\" = v.id AND j.xmin = v.version RETURNING j.\"{id.GetColumnName()}\", j.xmin");
            command.CommandText = sql.ToString();
            return command;
        }

        /// <summary>
        /// The column's type without its length (<c>character varying(64)</c> becomes <c>character varying</c>): an
        /// explicit cast to the length would cut a longer value short without a word, where the assignment to the
        /// column refuses it, as EF Core's statement does.
        /// </summary>
        private static string ArrayElementType(IProperty property) => TypeModifier().Replace(property.GetColumnType(), "");

        /// <summary>One column's values as the database gets them (converted), as an array of their CLR type (nullable when the column is).</summary>
        private static Array Values(IProperty property, List<EntityEntry<Job>> entries, bool original)
        {
            var converter = property.GetTypeMapping().Converter;
            var type = ProviderType(property)!;
            var element = type.IsValueType && property.IsNullable ? typeof(Nullable<>).MakeGenericType(type) : type;
            var values = Array.CreateInstance(element, entries.Count);
            for (var i = 0; i < entries.Count; i++)
            {
                var value = original ? entries[i].OriginalValues[property] : entries[i].CurrentValues[property];
                values.SetValue(value is null ? null : converter?.ConvertToProvider(value) ?? value, i);
            }

            return values;
        }

        [System.Text.RegularExpressions.GeneratedRegex(@"\(\s*\d+\s*(,\s*\d+\s*)?\)")]
        private static partial System.Text.RegularExpressions.Regex TypeModifier();
    }
}
