using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaPlatform.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class WebhookHeadersAndJobWebhooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "headers",
                table: "webhook_subscription",
                type: "jsonb",
                nullable: false,
                defaultValueSql: "'{}'::jsonb");

            migrationBuilder.AddColumn<string>(
                name: "job_webhook_secret",
                table: "tenant",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "previous_job_webhook_secret",
                table: "tenant",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "previous_job_webhook_secret_expires_at",
                table: "tenant",
                type: "timestamp with time zone",
                nullable: true);

            // A job's own webhook (webhook on submit) is delivered without a subscription: the delivery carries the
            // address and headers, and is signed with the tenant's job webhook secret.
            migrationBuilder.Sql("""
                ALTER TABLE webhook_delivery ALTER COLUMN subscription_id DROP NOT NULL;
                ALTER TABLE webhook_delivery ADD COLUMN url character varying(2048);
                ALTER TABLE webhook_delivery ADD COLUMN headers jsonb;
                ALTER TABLE webhook_delivery ADD CONSTRAINT ck_webhook_delivery_target CHECK (subscription_id IS NOT NULL OR url IS NOT NULL);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DELETE FROM webhook_delivery WHERE subscription_id IS NULL;
                ALTER TABLE webhook_delivery DROP CONSTRAINT ck_webhook_delivery_target;
                ALTER TABLE webhook_delivery DROP COLUMN headers;
                ALTER TABLE webhook_delivery DROP COLUMN url;
                ALTER TABLE webhook_delivery ALTER COLUMN subscription_id SET NOT NULL;
                """);

            migrationBuilder.DropColumn(
                name: "headers",
                table: "webhook_subscription");

            migrationBuilder.DropColumn(
                name: "job_webhook_secret",
                table: "tenant");

            migrationBuilder.DropColumn(
                name: "previous_job_webhook_secret",
                table: "tenant");

            migrationBuilder.DropColumn(
                name: "previous_job_webhook_secret_expires_at",
                table: "tenant");
        }
    }
}
