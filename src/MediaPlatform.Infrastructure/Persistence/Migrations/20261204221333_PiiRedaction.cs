using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaPlatform.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PiiRedaction : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_api_key_scopes",
                table: "api_key");

            migrationBuilder.AddColumn<string>(
                name: "redactions",
                table: "transcription",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "unredacted_segments",
                table: "transcription",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_api_key_scopes",
                table: "api_key",
                sql: "cardinality(scopes) >= 1 AND scopes <@ ARRAY['admin', 'read', 'write', 'pii']::text[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_api_key_scopes",
                table: "api_key");

            migrationBuilder.DropColumn(
                name: "redactions",
                table: "transcription");

            migrationBuilder.DropColumn(
                name: "unredacted_segments",
                table: "transcription");

            migrationBuilder.AddCheckConstraint(
                name: "ck_api_key_scopes",
                table: "api_key",
                sql: "cardinality(scopes) >= 1 AND scopes <@ ARRAY['admin', 'read', 'write']::text[]");
        }
    }
}
