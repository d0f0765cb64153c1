using MediaPlatform.Application.Transcriptions.SearchTranscripts;
using MediaPlatform.Domain.Tenants;
using Npgsql;
using NpgsqlTypes;

namespace MediaPlatform.Infrastructure.Search;

/// <summary>
/// <see cref="ITranscriptSearch"/> on PostgreSQL text search (docs/adr/0019): the query in web-search syntax
/// (<c>websearch_to_tsquery</c>) as written, without accents, and stemmed for each language the tenant's transcripts
/// are in (found by a skip scan of an index, so a few steps however many transcripts), against
/// <c>transcription.search_vector</c> (each transcript stemmed for its own language, plus its words as written and
/// unaccented; GIN-indexed, kept by the database with the text); ranked by <c>ts_rank</c>, then newest; the first
/// matching segment gives the hit its time, and <c>ts_headline</c> its snippet. Always scoped to the caller's tenant.
/// </summary>
internal sealed class PostgresTranscriptSearch(NpgsqlDataSource dataSource) : ITranscriptSearch
{
    private const string Sql = """
        WITH RECURSIVE langs AS (
            (SELECT language FROM transcription WHERE tenant_id = @tenant ORDER BY language LIMIT 1)
            UNION ALL
            SELECT (SELECT t.language FROM transcription AS t WHERE t.tenant_id = @tenant AND t.language > l.language ORDER BY t.language LIMIT 1)
            FROM langs AS l WHERE l.language IS NOT NULL),
        q AS (
            SELECT websearch_to_tsquery('simple', @q) || websearch_to_tsquery('simple', mp_unaccent(@q))
                   || COALESCE((SELECT mp_tsquery_or(DISTINCT websearch_to_tsquery(c.config, @q))
                                FROM (SELECT DISTINCT mp_text_config(language) AS config FROM langs WHERE language IS NOT NULL) AS c),
                               websearch_to_tsquery('simple', @q)) AS query),
        hits AS (
            SELECT t.id, t.job_id, t.media_asset_id, t.language, t.created_at, t.segments, t.text,
                   ts_rank(t.search_vector, q.query)::float8 AS rank, q.query
            FROM transcription AS t, q
            WHERE t.tenant_id = @tenant
              AND t.search_vector @@ q.query
              AND (@media::uuid IS NULL OR t.media_asset_id = @media)
              AND (@language::text IS NULL OR lower(t.language) = lower(@language) OR lower(t.language) LIKE lower(@language) || '-%')
              AND (@after::timestamptz IS NULL OR t.created_at > @after)),
        page AS (
            SELECT * FROM hits
            WHERE @cursorRank::float8 IS NULL OR (rank, id) < (@cursorRank, @cursorId)
            ORDER BY rank DESC, id DESC
            LIMIT @limit)
        SELECT p.id, p.job_id, p.media_asset_id, p.language, p.created_at, p.rank,
               (seg.s ->> 'start')::float8, (seg.s ->> 'end')::float8,
               ts_headline(c.config, COALESCE(seg.s ->> 'text', left(p.text, 2000)), p.query,
                           'StartSel=<mark>, StopSel=</mark>, MaxWords=25, MinWords=8, HighlightAll=false')
        FROM page AS p
        CROSS JOIN LATERAL (SELECT mp_text_config(p.language) AS config) AS c
        LEFT JOIN LATERAL (
            SELECT e.s FROM jsonb_array_elements(p.segments) WITH ORDINALITY AS e(s, n)
            WHERE (to_tsvector(c.config, e.s ->> 'text') || to_tsvector('simple', e.s ->> 'text')) @@ p.query
               OR to_tsvector('simple', mp_unaccent(e.s ->> 'text')) @@ p.query
            ORDER BY e.n LIMIT 1) AS seg ON true
        ORDER BY p.rank DESC, p.id DESC
        """;

    public async Task<(IReadOnlyList<SearchHitDto> Hits, SearchPosition? Next)> SearchAsync(
        TenantId tenant, SearchTranscriptsQuery query, SearchPosition? after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter("q", NpgsqlDbType.Text) { Value = query.Q ?? string.Empty });
        command.Parameters.Add(new NpgsqlParameter("tenant", NpgsqlDbType.Uuid) { Value = tenant.Value });
        command.Parameters.Add(new NpgsqlParameter("media", NpgsqlDbType.Uuid) { Value = (object?)query.MediaId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("language", NpgsqlDbType.Text) { Value = (object?)query.Language ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.TimestampTz) { Value = (object?)query.CreatedAfter?.ToUniversalTime() ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("cursorRank", NpgsqlDbType.Double) { Value = (object?)after?.Rank ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("cursorId", NpgsqlDbType.Uuid) { Value = (object?)after?.TranscriptionId ?? Guid.Empty });
        // One more than the page: whether there is a next one.
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = query.Limit + 1 });
        var hits = new List<SearchHitDto>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(new SearchHitDto(
                reader.GetGuid(1), reader.GetGuid(0), reader.GetGuid(2), reader.GetString(3),
                reader.IsDBNull(6) ? null : reader.GetDouble(6), reader.IsDBNull(7) ? null : reader.GetDouble(7),
                reader.GetString(8), reader.GetDouble(5), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        if (hits.Count <= query.Limit)
        {
            return (hits, null);
        }

        hits.RemoveAt(hits.Count - 1);
        return (hits, new SearchPosition(hits[^1].Rank, hits[^1].TranscriptionId));
    }
}
