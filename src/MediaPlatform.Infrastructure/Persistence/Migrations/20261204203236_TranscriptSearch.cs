using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaPlatform.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TranscriptSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Full-text search over transcripts (GET /api/v1/search): a tsvector kept by PostgreSQL itself in every
            // transaction that writes the text (a stored generated column), stemmed for English and, beside it, the
            // words as they are ('simple'), so an exact word is found whatever the stemmer makes of it; GIN-indexed.
            migrationBuilder.Sql("""
                ALTER TABLE transcription ADD COLUMN search_vector tsvector
                    GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text) || to_tsvector('simple'::regconfig, text)) STORED;
                CREATE INDEX ix_transcription_search_vector ON transcription USING gin (search_vector);
                CREATE INDEX ix_transcription_tenant_id_created_at ON transcription (tenant_id, created_at DESC, id DESC);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS ix_transcription_tenant_id_created_at;
                DROP INDEX IF EXISTS ix_transcription_search_vector;
                ALTER TABLE transcription DROP COLUMN IF EXISTS search_vector;
                """);
        }
    }
}
