using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaPlatform.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TranscriptSearchLanguages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Search per transcript language (docs/adr/0019): the stemmer of the transcript's language, the words as
            // written, and the words without accents (a fallback that needs no extension), kept by PostgreSQL in the
            // transaction that writes or edits the text. mp_text_config is PL/pgSQL so it is never inlined into the
            // generated column (its text -> regconfig cast is only stable); the mapping itself never changes.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION mp_text_config(language text) RETURNS regconfig
                LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
                BEGIN
                  RETURN CASE split_part(lower(language), '-', 1)
                    WHEN 'en' THEN 'english' WHEN 'de' THEN 'german' WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish'
                    WHEN 'it' THEN 'italian' WHEN 'pt' THEN 'portuguese' WHEN 'nl' THEN 'dutch' WHEN 'sv' THEN 'swedish'
                    WHEN 'da' THEN 'danish' WHEN 'no' THEN 'norwegian' WHEN 'nb' THEN 'norwegian' WHEN 'nn' THEN 'norwegian'
                    WHEN 'fi' THEN 'finnish' WHEN 'ru' THEN 'russian' WHEN 'hu' THEN 'hungarian' WHEN 'ro' THEN 'romanian'
                    WHEN 'tr' THEN 'turkish'
                    ELSE 'simple' END::regconfig;
                END $$;
                CREATE OR REPLACE FUNCTION mp_unaccent(value text) RETURNS text
                LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
                  SELECT CASE WHEN value !~ '[^[:ascii:]]' THEN value ELSE replace(replace(replace(replace(translate(value,
                    'ÀÁÂÃÄÅàáâãäåĀāĂăĄąÇçĆćĈĉĊċČčĎďĐđÈÉÊËèéêëĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħÌÍÎÏìíîïĨĩĪīĬĭĮįİıĴĵĶķĹĺĻļĽľĿŀŁłÑñŃńŅņŇňÒÓÔÕÖØòóôõöøŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲųŴŵÝýÿŶŷŸŹźŻżŽž',
                    'AAAAAAaaaaaaAaAaAaCcCcCcCcCcDdDdEEEEeeeeEeEeEeEeEeGgGgGgGgHhHhIIIIiiiiIiIiIiIiIiJjKkLlLlLlLlLlNnNnNnNnOOOOOOooooooOoOoOoRrRrRrSsSsSsSsTtTtTtUUUUuuuuUuUuUuUuUuUuWwYyyYyYZzZzZz'),
                    'ß', 'ss'), 'æ', 'ae'), 'Æ', 'AE'), 'œ', 'oe') END;
                $$;
                CREATE OR REPLACE AGGREGATE mp_tsquery_or(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);
                ALTER TABLE transcription DROP COLUMN search_vector;
                ALTER TABLE transcription ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
                    to_tsvector(mp_text_config(language), text) || to_tsvector('simple'::regconfig, text)
                    || to_tsvector('simple'::regconfig, mp_unaccent(text))) STORED;
                CREATE INDEX ix_transcription_search_vector ON transcription USING gin (search_vector);
                CREATE INDEX ix_transcription_tenant_id_language ON transcription (tenant_id, language);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS ix_transcription_tenant_id_language;
                ALTER TABLE transcription DROP COLUMN search_vector;
                ALTER TABLE transcription ADD COLUMN search_vector tsvector
                    GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text) || to_tsvector('simple'::regconfig, text)) STORED;
                CREATE INDEX ix_transcription_search_vector ON transcription USING gin (search_vector);
                DROP AGGREGATE IF EXISTS mp_tsquery_or(tsquery);
                DROP FUNCTION IF EXISTS mp_unaccent(text);
                DROP FUNCTION IF EXISTS mp_text_config(text);
                """);
        }
    }
}
