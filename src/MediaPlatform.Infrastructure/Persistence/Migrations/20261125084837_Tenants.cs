using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaPlatform.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Tenants and API keys. Every existing row is brought into the tenant <c>default</c> (a fixed id), which this
    /// migration creates; the column default that does so is dropped afterwards, so no later insert can land in a
    /// tenant by accident. Idempotency keys become per tenant.
    /// </summary>
    public partial class Tenants : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_idempotency_key",
                table: "idempotency_key");

            migrationBuilder.AddColumn<Guid>(
                name: "tenant_id",
                table: "transcription",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000001"));

            migrationBuilder.AddColumn<Guid>(
                name: "tenant_id",
                table: "media_asset",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000001"));

            migrationBuilder.AddColumn<Guid>(
                name: "tenant_id",
                table: "job",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000001"));

            migrationBuilder.AddColumn<Guid>(
                name: "tenant_id",
                table: "idempotency_key",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000001"));

            migrationBuilder.AddColumn<Guid>(
                name: "tenant_id",
                table: "analysis_result",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000001"));

            migrationBuilder.AddPrimaryKey(
                name: "pk_idempotency_key",
                table: "idempotency_key",
                columns: new[] { "tenant_id", "key" });

            migrationBuilder.CreateTable(
                name: "tenant",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    max_concurrent_jobs = table.Column<int>(type: "integer", nullable: true),
                    max_media_seconds = table.Column<int>(type: "integer", nullable: true),
                    max_queued_jobs = table.Column<int>(type: "integer", nullable: true),
                    requests_per_minute = table.Column<int>(type: "integer", nullable: true),
                    retention_days = table.Column<int>(type: "integer", nullable: true),
                    storage_bytes = table.Column<long>(type: "bigint", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tenant", x => x.id);
                    table.CheckConstraint("ck_tenant_max_concurrent_jobs", "max_concurrent_jobs IS NULL OR max_concurrent_jobs >= 1");
                    table.CheckConstraint("ck_tenant_max_media_seconds", "max_media_seconds IS NULL OR max_media_seconds >= 1");
                    table.CheckConstraint("ck_tenant_max_queued_jobs", "max_queued_jobs IS NULL OR max_queued_jobs >= 1");
                    table.CheckConstraint("ck_tenant_requests_per_minute", "requests_per_minute IS NULL OR requests_per_minute >= 1");
                    table.CheckConstraint("ck_tenant_retention_days", "retention_days IS NULL OR retention_days >= 1");
                    table.CheckConstraint("ck_tenant_storage_bytes", "storage_bytes IS NULL OR storage_bytes >= 1");
                });

            migrationBuilder.Sql("""
                INSERT INTO tenant (id, name, created_at, updated_at)
                VALUES ('00000000-0000-0000-0000-000000000001', 'default', now(), now())
                ON CONFLICT DO NOTHING;
                """);

            migrationBuilder.CreateTable(
                name: "api_key",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    scopes = table.Column<string[]>(type: "text[]", nullable: false),
                    hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    prefix = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_key", x => x.id);
                    table.CheckConstraint("ck_api_key_hash", "octet_length(hash) = 32");
                    table.CheckConstraint("ck_api_key_scopes", "cardinality(scopes) >= 1 AND scopes <@ ARRAY['admin', 'read', 'write']::text[]");
                    table.ForeignKey(
                        name: "fk_api_key_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenant",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_transcription_tenant_id",
                table: "transcription",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_media_asset_tenant_id_created_at_id",
                table: "media_asset",
                columns: new[] { "tenant_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_job_tenant_id_created_at_id",
                table: "job",
                columns: new[] { "tenant_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_job_tenant_queue_claim",
                table: "job",
                columns: new[] { "tenant_id", "priority", "run_after", "id" },
                descending: new[] { false, true, false, false },
                filter: "status = 'queued'");

            migrationBuilder.CreateIndex(
                name: "ix_job_tenant_running",
                table: "job",
                column: "tenant_id",
                filter: "status = 'running'");

            migrationBuilder.CreateIndex(
                name: "ix_analysis_result_tenant_id",
                table: "analysis_result",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_api_key_tenant_id_created_at",
                table: "api_key",
                columns: new[] { "tenant_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ux_api_key_hash",
                table: "api_key",
                column: "hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_tenant_created_at_id",
                table: "tenant",
                columns: new[] { "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ux_tenant_name",
                table: "tenant",
                column: "name",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_analysis_result_tenant_id",
                table: "analysis_result",
                column: "tenant_id",
                principalTable: "tenant",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_idempotency_key_tenant_id",
                table: "idempotency_key",
                column: "tenant_id",
                principalTable: "tenant",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_job_tenant_id",
                table: "job",
                column: "tenant_id",
                principalTable: "tenant",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_media_asset_tenant_id",
                table: "media_asset",
                column: "tenant_id",
                principalTable: "tenant",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "fk_transcription_tenant_id",
                table: "transcription",
                column: "tenant_id",
                principalTable: "tenant",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            foreach (var table in new[] { "analysis_result", "transcription", "job", "media_asset", "idempotency_key" })
            {
                migrationBuilder.Sql($"ALTER TABLE {table} ALTER COLUMN tenant_id DROP DEFAULT;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_analysis_result_tenant_id",
                table: "analysis_result");

            migrationBuilder.DropForeignKey(
                name: "fk_idempotency_key_tenant_id",
                table: "idempotency_key");

            migrationBuilder.DropForeignKey(
                name: "fk_job_tenant_id",
                table: "job");

            migrationBuilder.DropForeignKey(
                name: "fk_media_asset_tenant_id",
                table: "media_asset");

            migrationBuilder.DropForeignKey(
                name: "fk_transcription_tenant_id",
                table: "transcription");

            migrationBuilder.DropTable(
                name: "api_key");

            migrationBuilder.DropTable(
                name: "tenant");

            migrationBuilder.DropIndex(
                name: "ix_transcription_tenant_id",
                table: "transcription");

            migrationBuilder.DropIndex(
                name: "ix_media_asset_tenant_id_created_at_id",
                table: "media_asset");

            migrationBuilder.DropIndex(
                name: "ix_job_tenant_id_created_at_id",
                table: "job");

            migrationBuilder.DropIndex(
                name: "ix_job_tenant_queue_claim",
                table: "job");

            migrationBuilder.DropIndex(
                name: "ix_job_tenant_running",
                table: "job");

            migrationBuilder.DropPrimaryKey(
                name: "pk_idempotency_key",
                table: "idempotency_key");

            migrationBuilder.DropIndex(
                name: "ix_analysis_result_tenant_id",
                table: "analysis_result");

            migrationBuilder.DropColumn(
                name: "tenant_id",
                table: "transcription");

            migrationBuilder.DropColumn(
                name: "tenant_id",
                table: "media_asset");

            migrationBuilder.DropColumn(
                name: "tenant_id",
                table: "job");

            migrationBuilder.DropColumn(
                name: "tenant_id",
                table: "idempotency_key");

            migrationBuilder.DropColumn(
                name: "tenant_id",
                table: "analysis_result");

            migrationBuilder.AddPrimaryKey(
                name: "pk_idempotency_key",
                table: "idempotency_key",
                column: "key");
        }
    }
}
