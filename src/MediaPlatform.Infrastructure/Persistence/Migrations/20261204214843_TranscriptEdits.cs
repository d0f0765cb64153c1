using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaPlatform.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TranscriptEdits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "edited_at",
                table: "transcription",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "revision",
                table: "transcription",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "speaker_names",
                table: "transcription",
                type: "jsonb",
                nullable: false,
                defaultValueSql: "'{}'::jsonb");

            migrationBuilder.CreateTable(
                name: "transcription_revision",
                columns: table => new
                {
                    transcription_id = table.Column<Guid>(type: "uuid", nullable: false),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    text = table.Column<string>(type: "text", nullable: false),
                    segments = table.Column<string>(type: "jsonb", nullable: false),
                    speaker_names = table.Column<string>(type: "jsonb", nullable: false, defaultValueSql: "'{}'::jsonb"),
                    confidence = table.Column<double>(type: "double precision", nullable: true),
                    word_count = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_transcription_revision", x => new { x.transcription_id, x.revision });
                    table.CheckConstraint("ck_transcription_revision_revision", "revision >= 1");
                    table.ForeignKey(
                        name: "fk_transcription_revision_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenant",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_transcription_revision_transcription_id",
                        column: x => x.transcription_id,
                        principalTable: "transcription",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_transcription_revision_tenant_id",
                table: "transcription_revision",
                column: "tenant_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "transcription_revision");

            migrationBuilder.DropColumn(
                name: "edited_at",
                table: "transcription");

            migrationBuilder.DropColumn(
                name: "revision",
                table: "transcription");

            migrationBuilder.DropColumn(
                name: "speaker_names",
                table: "transcription");
        }
    }
}
