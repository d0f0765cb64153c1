using System.Text.Json;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing.Chunking;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Infrastructure.Persistence.Converters;
using Npgsql;
using NpgsqlTypes;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// <see cref="IJobPartQueue"/> on the <c>job_part</c> table, in plain SQL: claims with <c>FOR UPDATE SKIP LOCKED</c>,
/// leases stamped with the database's <c>clock_timestamp()</c> (no host clock is involved), and every finishing write
/// conditional on the lease's owner, so a worker that lost its part cannot overwrite the result of the one that took
/// it. The <c>job_part_notify</c> trigger announces state changes on <c>job_parts</c> (<see cref="JobEventListener"/>).
/// </summary>
internal sealed class JobPartQueue(NpgsqlDataSource dataSource, JobEventHub hub) : IJobPartQueue
{
    private const string Columns = "part_index, span_start, span_end, decode_start, blob_key";

    public async Task EnqueueAsync(
        JobId job, TenantId tenant, string engine, string? language, IReadOnlyList<PartPlan> parts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parts);
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO job_part (job_id, tenant_id, engine, language, part_index, span_start, span_end, decode_start, blob_key)
            SELECT $1, $2, $3, $4, p.i, p.s, p.e, p.d, p.k
            FROM unnest($5::integer[], $6::double precision[], $7::double precision[], $8::double precision[], $9::text[]) AS p(i, s, e, d, k)
            ON CONFLICT (job_id, part_index) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = job.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = engine });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)language ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = parts.Select(p => p.Index).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = parts.Select(p => p.Keep.Start).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = parts.Select(p => p.Keep.End).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = parts.Select(p => p.DecodeFrom).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = parts.Select(p => p.BlobKey).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PartState>> ListAsync(JobId job, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns}, status, progress, attempts, status = 'running' AND lease_expires_at < clock_timestamp(), error_code, error_message
            FROM job_part WHERE job_id = $1 ORDER BY part_index
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = job.Value });
        var parts = new List<PartState>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            parts.Add(new PartState(
                reader.GetInt32(0),
                new AudioSpan(reader.GetDouble(1), reader.GetDouble(2)),
                reader.GetDouble(3),
                reader.GetString(4),
                ParseStatus(reader.GetString(5)),
                reader.GetDouble(6),
                reader.GetInt32(7),
                reader.GetBoolean(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return parts;
    }

    public async Task<IReadOnlyDictionary<int, EngineTranscript>> TranscriptsAsync(JobId job, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT part_index, transcript FROM job_part WHERE job_id = $1 AND status = 'done'");
        command.Parameters.Add(new NpgsqlParameter { Value = job.Value });
        var transcripts = new Dictionary<int, EngineTranscript>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            transcripts[reader.GetInt32(0)] = JsonSerializer.Deserialize<EngineTranscript>(reader.GetString(1), JsonColumnConverter<EngineTranscript>.Options)!;
        }

        return transcripts;
    }

    public async Task DeleteAsync(JobId job, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM job_part WHERE job_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = job.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task WaitForChangeAsync(JobId job, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        hub.WaitForPartChangeAsync(job.Value, timeout, cancellationToken);

    /// <summary>Part <paramref name="alias"/> can be claimed: queued and due, or running with an expired lease, of a job <c>j</c> still queued or running, with attempts left.</summary>
    private static string Claimable(string alias) =>
        $"""
        j.status IN ('queued', 'running') AND {alias}.attempts < j.max_attempts
        AND (({alias}.status = 'queued' AND {alias}.run_after <= clock_timestamp())
          OR ({alias}.status = 'running' AND {alias}.lease_expires_at < clock_timestamp()))
        """;

    private const string Claim =
        """
        UPDATE job_part AS p
        SET status = 'running', attempts = p.attempts + 1, lease_owner = $1,
            lease_expires_at = clock_timestamp() + $2, progress = 0, updated_at = clock_timestamp()
        """;

    private const string Claimed =
        """
        RETURNING p.job_id, p.tenant_id, p.part_index, p.span_start, p.span_end, p.decode_start, p.blob_key, p.engine, p.language, p.attempts,
            j.trace_parent, j.options -> 'vocabulary'
        """;

    private static readonly string PlannedClaimSql =
        $"""
        WITH claimable AS (
            SELECT c.job_id, c.part_index, c.created_at FROM job_part AS c JOIN job AS j ON j.id = c.job_id
            WHERE {Claimable("c")}
        ), oldest AS (
            SELECT job_id FROM claimable ORDER BY created_at, job_id LIMIT 1
        ), stretches AS (
            SELECT min(part_index) AS first, count(*)::integer AS length
            FROM (SELECT part_index, part_index - row_number() OVER (ORDER BY part_index) AS stretch
                  FROM claimable WHERE job_id = (SELECT job_id FROM oldest)) AS r
            GROUP BY stretch
        ), picked AS (
            SELECT CASE WHEN followed THEN first + length / 2 ELSE first END AS part_index
            FROM (SELECT s.first, s.length, EXISTS (
                      SELECT 1 FROM job_part AS b
                      WHERE b.job_id = (SELECT job_id FROM oldest) AND b.part_index = s.first - 1
                        AND b.status = 'running' AND b.lease_expires_at >= clock_timestamp()) AS followed
                  FROM stretches AS s) AS f
            ORDER BY followed, CASE WHEN followed THEN -length ELSE first END, first
            LIMIT 1
        )
        {Claim}
        FROM picked, job AS j
        WHERE p.job_id = (SELECT job_id FROM oldest) AND p.part_index = picked.part_index AND j.id = p.job_id
          AND {Claimable("p")}
        {Claimed}
        """;

    private static readonly string OldestClaimSql =
        $"""
        {Claim}
        FROM (
            SELECT c.job_id, c.part_index FROM job_part AS c JOIN job AS j ON j.id = c.job_id
            WHERE {Claimable("c")}
            ORDER BY c.created_at, c.job_id, c.part_index
            LIMIT 1
            FOR UPDATE OF c SKIP LOCKED
        ) AS picked, job AS j
        WHERE p.job_id = picked.job_id AND p.part_index = picked.part_index AND j.id = p.job_id
        {Claimed}
        """;

    private static readonly string NextClaimSql =
        $"""
        {Claim}
        FROM job AS j
        WHERE p.job_id = $3 AND p.part_index = $4 AND j.id = p.job_id
          AND {Claimable("p")}
        {Claimed}
        """;

    public async Task<ClaimedPart?> ClaimAsync(string owner, TimeSpan lease, bool forRuns = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        // The oldest job's parts first, so one recording finishes before the next one's parts start; a part whose
        // worker died (running, lease expired) is claimable as it is: no reaper is needed. For workers that go on
        // through parts, within the job a part that no running worker will go on to (the first of a stretch of
        // claimable parts whose part before is not being decoded) is taken first; otherwise the middle of the longest
        // stretch, so the worker decoding the part before it keeps half of it to continue through (docs/adr/0031).
        if (forRuns)
        {
            await using var planned = ClaimCommand(PlannedClaimSql, owner, lease);
            if (await ReadClaimAsync(planned, owner, cancellationToken) is { } part)
            {
                return part;
            }
        }

        // Parts in order, or nothing claimable, or another worker claimed the planned part first: the oldest part
        // nobody holds.
        await using var command = ClaimCommand(OldestClaimSql, owner, lease);
        return await ReadClaimAsync(command, owner, cancellationToken);
    }

    public async Task<ClaimedPart?> ClaimNextAsync(string owner, TimeSpan lease, JobId job, int index, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        await using var command = ClaimCommand(NextClaimSql, owner, lease);
        command.Parameters.Add(new NpgsqlParameter { Value = job.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = index });
        return await ReadClaimAsync(command, owner, cancellationToken);
    }

    /// <summary>One of the claim statements with its first two parameters, the lease's owner and length.</summary>
    private NpgsqlCommand ClaimCommand(string sql, string owner, TimeSpan lease)
    {
        var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = owner });
        command.Parameters.Add(new NpgsqlParameter { Value = lease });
        return command;
    }

    private static async Task<ClaimedPart?> ReadClaimAsync(NpgsqlCommand command, string owner, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new ClaimedPart(
            new JobId(reader.GetGuid(0)),
            new TenantId(reader.GetGuid(1)),
            reader.GetInt32(2),
            new AudioSpan(reader.GetDouble(3), reader.GetDouble(4)),
            reader.GetDouble(5),
            reader.GetString(6),
            reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.GetInt32(9),
            owner,
            reader.IsDBNull(10) ? null : reader.GetString(10))
        {
            Vocabulary = reader.IsDBNull(11) ? [] : JsonSerializer.Deserialize<string[]>(reader.GetString(11)) ?? [],
        };
    }

    public async Task<bool> RenewAsync(ClaimedPart part, TimeSpan lease, double progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(part);
        await using var command = dataSource.CreateCommand(
            """
            UPDATE job_part AS p SET lease_expires_at = clock_timestamp() + $4, progress = $5, updated_at = clock_timestamp()
            WHERE p.job_id = $1 AND p.part_index = $2 AND p.lease_owner = $3 AND p.status = 'running'
              AND EXISTS (SELECT 1 FROM job AS j WHERE j.id = p.job_id AND j.status IN ('queued', 'running'))
            """);
        AddKey(command, part);
        command.Parameters.Add(new NpgsqlParameter { Value = lease });
        command.Parameters.Add(new NpgsqlParameter { Value = Math.Clamp(progress, 0, 1) });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> CompleteAsync(ClaimedPart part, EngineTranscript transcript, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(part);
        await using var command = dataSource.CreateCommand(
            """
            UPDATE job_part SET status = 'done', transcript = $4::jsonb, progress = 1, lease_owner = NULL, lease_expires_at = NULL,
                error_code = NULL, error_message = NULL, updated_at = clock_timestamp()
            WHERE job_id = $1 AND part_index = $2 AND lease_owner = $3 AND status = 'running'
            """);
        AddKey(command, part);
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(transcript, JsonColumnConverter<EngineTranscript>.Options) });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> ReleaseAsync(ClaimedPart part, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(part);
        await using var command = dataSource.CreateCommand(
            """
            UPDATE job_part SET status = 'queued', attempts = attempts - 1, run_after = clock_timestamp(), lease_owner = NULL,
                lease_expires_at = NULL, progress = 0, updated_at = clock_timestamp()
            WHERE job_id = $1 AND part_index = $2 AND lease_owner = $3 AND status = 'running'
            """);
        AddKey(command, part);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> FailAsync(ClaimedPart part, string code, string message, bool transient, TimeSpan retryAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(part);
        await using var command = dataSource.CreateCommand(
            """
            UPDATE job_part AS p
            SET status = CASE WHEN $6 AND p.attempts < j.max_attempts THEN 'queued' ELSE 'failed' END,
                run_after = clock_timestamp() + $7, lease_owner = NULL, lease_expires_at = NULL,
                error_code = $4, error_message = $5, updated_at = clock_timestamp()
            FROM job AS j
            WHERE j.id = p.job_id AND p.job_id = $1 AND p.part_index = $2 AND p.lease_owner = $3 AND p.status = 'running'
            """);
        AddKey(command, part);
        command.Parameters.Add(new NpgsqlParameter { Value = code });
        command.Parameters.Add(new NpgsqlParameter { Value = message });
        command.Parameters.Add(new NpgsqlParameter { Value = transient });
        command.Parameters.Add(new NpgsqlParameter { Value = retryAfter });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static void AddKey(NpgsqlCommand command, ClaimedPart part)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = part.JobId.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = part.Index });
        command.Parameters.Add(new NpgsqlParameter { Value = part.LeaseOwner });
    }

    private static PartStatus ParseStatus(string status) => status switch
    {
        "queued" => PartStatus.Queued,
        "running" => PartStatus.Running,
        "done" => PartStatus.Done,
        "failed" => PartStatus.Failed,
        _ => throw new InvalidOperationException($"Unknown part status '{status}'."),
    };
}
