using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaPlatform.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "media_asset",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    source = table.Column<string>(type: "text", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    original_file_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    source_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    storage_key = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    content_type = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    size_bytes = table.Column<long>(type: "bigint", nullable: true),
                    sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: true),
                    duration = table.Column<TimeSpan>(type: "interval", nullable: true),
                    audio_codec = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    video_codec = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    channels = table.Column<int>(type: "integer", nullable: true),
                    sample_rate = table.Column<int>(type: "integer", nullable: true),
                    has_audio = table.Column<bool>(type: "boolean", nullable: false),
                    has_video = table.Column<bool>(type: "boolean", nullable: false),
                    rejection_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_media_asset", x => x.id);
                    table.CheckConstraint("ck_media_asset_sha256", "sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'");
                    table.CheckConstraint("ck_media_asset_size", "size_bytes IS NULL OR size_bytes >= 0");
                    table.CheckConstraint("ck_media_asset_source", "source IN ('upload', 'url')");
                    table.CheckConstraint("ck_media_asset_status", "status IN ('registered', 'stored', 'ready', 'rejected')");
                    table.CheckConstraint("ck_media_asset_stored", "status = 'registered' OR storage_key IS NOT NULL");
                    table.CheckConstraint("ck_media_asset_url_source", "source <> 'url' OR source_url IS NOT NULL");
                });

            migrationBuilder.CreateTable(
                name: "job",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    media_asset_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    options = table.Column<string>(type: "jsonb", nullable: false),
                    priority = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "text", nullable: false),
                    progress = table.Column<int>(type: "integer", nullable: false),
                    current_step = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    max_attempts = table.Column<int>(type: "integer", nullable: false),
                    run_after = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    lease_owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    lease_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    error_code = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    error_message = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_job", x => x.id);
                    table.CheckConstraint("ck_job_attempts", "attempts >= 0 AND max_attempts >= 1");
                    table.CheckConstraint("ck_job_kind", "kind IN ('transcription', 'analysis')");
                    table.CheckConstraint("ck_job_lease", "(status = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)");
                    table.CheckConstraint("ck_job_priority", "priority BETWEEN -100 AND 100");
                    table.CheckConstraint("ck_job_progress", "progress BETWEEN 0 AND 100");
                    table.CheckConstraint("ck_job_status", "status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')");
                    table.ForeignKey(
                        name: "fk_job_media_asset_id",
                        column: x => x.media_asset_id,
                        principalTable: "media_asset",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "transcription",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    media_asset_id = table.Column<Guid>(type: "uuid", nullable: false),
                    language = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    engine = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    model = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    segments = table.Column<string>(type: "jsonb", nullable: false),
                    confidence = table.Column<double>(type: "double precision", nullable: true),
                    word_count = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_transcription", x => x.id);
                    table.CheckConstraint("ck_transcription_confidence", "confidence IS NULL OR confidence BETWEEN 0 AND 1");
                    table.CheckConstraint("ck_transcription_word_count", "word_count >= 0");
                    table.ForeignKey(
                        name: "fk_transcription_job_id",
                        column: x => x.job_id,
                        principalTable: "job",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_transcription_media_asset_id",
                        column: x => x.media_asset_id,
                        principalTable: "media_asset",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "analysis_result",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    job_id = table.Column<Guid>(type: "uuid", nullable: false),
                    transcription_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "text", nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    score = table.Column<decimal>(type: "numeric(12,6)", precision: 12, scale: 6, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_analysis_result", x => x.id);
                    table.CheckConstraint("ck_analysis_result_kind", "kind IN ('keywords', 'summary', 'sentiment', 'speech_statistics')");
                    table.CheckConstraint("ck_analysis_result_payload", "jsonb_typeof(payload) = 'object'");
                    table.ForeignKey(
                        name: "fk_analysis_result_job_id",
                        column: x => x.job_id,
                        principalTable: "job",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_analysis_result_transcription_id",
                        column: x => x.transcription_id,
                        principalTable: "transcription",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_analysis_result_transcription_id",
                table: "analysis_result",
                column: "transcription_id");

            migrationBuilder.CreateIndex(
                name: "ux_analysis_result_job_id_kind",
                table: "analysis_result",
                columns: new[] { "job_id", "kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_job_created_at_id",
                table: "job",
                columns: new[] { "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_job_lease_expiry",
                table: "job",
                column: "lease_expires_at",
                filter: "status = 'running'");

            migrationBuilder.CreateIndex(
                name: "ix_job_media_asset_id_created_at",
                table: "job",
                columns: new[] { "media_asset_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_job_queue_claim",
                table: "job",
                columns: new[] { "priority", "run_after", "id" },
                descending: new[] { true, false, false },
                filter: "status = 'queued'");

            migrationBuilder.CreateIndex(
                name: "ix_job_status_created_at_id",
                table: "job",
                columns: new[] { "status", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_media_asset_created_at_id",
                table: "media_asset",
                columns: new[] { "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_media_asset_sha256",
                table: "media_asset",
                column: "sha256");

            migrationBuilder.CreateIndex(
                name: "ux_media_asset_storage_key",
                table: "media_asset",
                column: "storage_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_transcription_media_asset_id",
                table: "transcription",
                column: "media_asset_id");

            migrationBuilder.CreateIndex(
                name: "ux_transcription_job_id",
                table: "transcription",
                column: "job_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "analysis_result");

            migrationBuilder.DropTable(
                name: "transcription");

            migrationBuilder.DropTable(
                name: "job");

            migrationBuilder.DropTable(
                name: "media_asset");
        }
    }
}
