using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaPlatform.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The parts of long recordings as work items any worker may claim (docs/adr/0012). Not an EF entity: only the
    /// part queue's SQL reads and writes it. Rows go with their job (ON DELETE CASCADE); state changes are announced on
    /// <c>job_parts</c> as <c>job id:status</c> (identical payloads in one transaction are sent once).
    /// </summary>
    public partial class JobParts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE job_part (
                    job_id uuid NOT NULL REFERENCES job (id) ON DELETE CASCADE,
                    part_index integer NOT NULL,
                    tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
                    engine character varying(64) NOT NULL,
                    language character varying(32),
                    span_start double precision NOT NULL,
                    span_end double precision NOT NULL,
                    decode_start double precision NOT NULL,
                    blob_key character varying(512) NOT NULL,
                    status text NOT NULL DEFAULT 'queued',
                    attempts integer NOT NULL DEFAULT 0,
                    lease_owner character varying(200),
                    lease_expires_at timestamp with time zone,
                    run_after timestamp with time zone NOT NULL DEFAULT clock_timestamp(),
                    progress double precision NOT NULL DEFAULT 0,
                    transcript jsonb,
                    error_code character varying(100),
                    error_message text,
                    created_at timestamp with time zone NOT NULL DEFAULT clock_timestamp(),
                    updated_at timestamp with time zone NOT NULL DEFAULT clock_timestamp(),
                    CONSTRAINT pk_job_part PRIMARY KEY (job_id, part_index),
                    CONSTRAINT ck_job_part_status CHECK (status IN ('queued', 'running', 'done', 'failed')),
                    CONSTRAINT ck_job_part_lease CHECK ((status = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
                    CONSTRAINT ck_job_part_done CHECK ((status = 'done') = (transcript IS NOT NULL)),
                    CONSTRAINT ck_job_part_span CHECK (decode_start <= span_start AND span_start < span_end AND part_index >= 0 AND attempts >= 0)
                );
                CREATE INDEX ix_job_part_claimable ON job_part (created_at, job_id, part_index) WHERE status IN ('queued', 'running');
                CREATE INDEX ix_job_part_blob_key ON job_part (blob_key);

                CREATE FUNCTION job_part_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('job_parts', NEW.job_id::text || ':' || NEW.status);
                    RETURN NULL;
                END;
                $$;
                CREATE TRIGGER job_part_notify AFTER INSERT OR UPDATE OF status ON job_part
                    FOR EACH ROW EXECUTE FUNCTION job_part_notify();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TABLE IF EXISTS job_part;
                DROP FUNCTION IF EXISTS job_part_notify();
                """);
        }
    }
}
