using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaPlatform.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Webhooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "webhook_event",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    job_id = table.Column<Guid>(type: "uuid", nullable: true),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    fanned_out_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_event", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_event_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenant",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_subscription",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    events = table.Column<string[]>(type: "text[]", nullable: false),
                    description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    secret = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    disabled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    disabled_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_subscription", x => x.id);
                    table.CheckConstraint("ck_webhook_subscription_events", "cardinality(events) >= 1");
                    table.ForeignKey(
                        name: "fk_webhook_subscription_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenant",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_event_pending",
                table: "webhook_event",
                column: "created_at",
                filter: "fanned_out_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_event_tenant_id",
                table: "webhook_event",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_subscription_tenant_id_created_at",
                table: "webhook_subscription",
                columns: new[] { "tenant_id", "created_at" });

            // Deliveries are written and read only by the dispatcher's SQL (not an EF entity).
            migrationBuilder.Sql("""
                CREATE TABLE webhook_delivery (
                    id uuid PRIMARY KEY,
                    subscription_id uuid NOT NULL REFERENCES webhook_subscription (id) ON DELETE CASCADE,
                    event_id uuid NOT NULL REFERENCES webhook_event (id) ON DELETE CASCADE,
                    tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
                    job_id uuid,
                    event_created_at timestamp with time zone NOT NULL,
                    status text NOT NULL,
                    attempts integer NOT NULL DEFAULT 0,
                    next_attempt_at timestamp with time zone NOT NULL,
                    retry_until timestamp with time zone NOT NULL,
                    locked_until timestamp with time zone,
                    last_status_code integer,
                    last_latency_ms integer,
                    last_error text,
                    created_at timestamp with time zone NOT NULL,
                    delivered_at timestamp with time zone,
                    CONSTRAINT ck_webhook_delivery_status CHECK (status IN ('pending', 'delivered', 'failed')),
                    CONSTRAINT ux_webhook_delivery_event UNIQUE (event_id, subscription_id)
                );
                CREATE INDEX ix_webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending';
                CREATE INDEX ix_webhook_delivery_order ON webhook_delivery (subscription_id, job_id, event_created_at, id) WHERE status = 'pending';
                CREATE INDEX ix_webhook_delivery_subscription ON webhook_delivery (subscription_id, created_at DESC, id DESC);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS webhook_delivery;");

            migrationBuilder.DropTable(
                name: "webhook_event");

            migrationBuilder.DropTable(
                name: "webhook_subscription");
        }
    }
}
