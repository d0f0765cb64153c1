using MediaPlatform.Infrastructure.Persistence;
using MediaPlatform.Infrastructure.Persistence.Tooling;
using MediaPlatform.TestSupport;
using MediaPlatform.TestSupport.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace MediaPlatform.Infrastructure.Tests.Persistence;

public sealed class SchemaTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task The_model_has_no_changes_without_a_migration()
    {
        await using var db = fixture.CreateDbContext();

        Assert.False(
            db.Database.HasPendingModelChanges(),
            "The EF model differs from the last migration: run build/migrations.sh add <Name> and commit it.");
    }

    [Fact]
    public async Task The_committed_schema_script_is_generated_from_the_current_migrations()
    {
        await using var db = fixture.CreateDbContext();
        var generated = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var committed = await File.ReadAllTextAsync(RepositoryRoot.File("build", "sql", "schema.sql"));

        Assert.True(
            Normalize(generated) == Normalize(committed),
            "build/sql/schema.sql is stale: run build/migrations.sh script and commit it.");
    }

    [Fact]
    public async Task The_four_seed_tables_exist_with_their_key_columns()
    {
        var tables = await SchemaSnapshot.TablesAsync(fixture.ConnectionString);

        Assert.Equal(["__ef_migrations_history", "analysis_result", "api_key", "idempotency_key", "job", "job_part", "media_asset", "tenant", "transcription", "transcription_revision", "vocabulary", "webhook_delivery", "webhook_event", "webhook_subscription", "worker_process"], tables);
        var schema = await SchemaSnapshot.TakeAsync(fixture.ConnectionString);
        foreach (var (table, columns) in DatabaseTool.ExpectedSchema)
        {
            foreach (var column in columns.Where(c => c != "xmin"))
            {
                Assert.Contains($"{table}.{column} ", schema, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("job", "ck_job_status")]
    [InlineData("job", "ck_job_progress")]
    [InlineData("job", "ck_job_lease")]
    [InlineData("job", "fk_job_media_asset_id FOREIGN KEY (media_asset_id) REFERENCES media_asset(id) ON DELETE RESTRICT")]
    [InlineData("media_asset", "ck_media_asset_sha256")]
    [InlineData("transcription", "fk_transcription_job_id FOREIGN KEY (job_id) REFERENCES job(id) ON DELETE CASCADE")]
    [InlineData("analysis_result", "fk_analysis_result_job_id FOREIGN KEY (job_id) REFERENCES job(id) ON DELETE CASCADE")]
    [InlineData("analysis_result", "ck_analysis_result_kind")]
    public async Task Constraints_guard_the_tables(string table, string constraint)
    {
        var schema = await SchemaSnapshot.TakeAsync(fixture.ConnectionString);

        Assert.Contains($"{table} {constraint}", schema, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ix_job_queue_claim ON public.job USING btree (priority DESC, run_after, id) WHERE (status = 'queued'::text)")]
    [InlineData("ix_job_created_at_id ON public.job USING btree (created_at, id)")]
    [InlineData("ux_transcription_job_id ON public.transcription USING btree (job_id)")]
    [InlineData("ux_analysis_result_job_id_kind ON public.analysis_result USING btree (job_id, kind)")]
    public async Task Indexes_serve_the_queue_pagination_and_uniqueness(string index)
    {
        var schema = await SchemaSnapshot.TakeAsync(fixture.ConnectionString);

        Assert.Contains(index, schema, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_status_outside_the_enum_is_refused_by_the_database()
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "INSERT INTO media_asset (id, tenant_id, source, status, has_audio, has_video, created_at, updated_at, source_url) VALUES (gen_random_uuid(), '00000000-0000-0000-0000-000000000001', 'url', 'lost', false, false, now(), now(), 'http://x')",
            connection);

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal("ck_media_asset_status", error.ConstraintName);
    }

    private static string Normalize(string sql) => sql.Replace("\r\n", "\n", StringComparison.Ordinal).Trim('\uFEFF', '\n', ' ');
}
