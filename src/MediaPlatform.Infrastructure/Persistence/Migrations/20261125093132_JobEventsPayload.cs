using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaPlatform.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The job_events payload gains the lease owner and the id of the transaction that made the change (its low 32
    /// bits, the row's xmin), so a worker can ignore a late notification of a change made before its claim; deleting
    /// a job now notifies too (status <c>deleted</c>), so an event stream on it ends.
    /// </summary>
    public partial class JobEventsPayload : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION job_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'DELETE' THEN
                        PERFORM pg_notify('job_events', json_build_object(
                            'id', OLD.id, 'status', 'deleted', 'progress', OLD.progress, 'step', NULL, 'lease', NULL,
                            'xid', txid_current() % 4294967296)::text);
                    ELSE
                        PERFORM pg_notify('job_events', json_build_object(
                            'id', NEW.id, 'status', NEW.status, 'progress', NEW.progress, 'step', NEW.current_step,
                            'lease', NEW.lease_owner, 'xid', txid_current() % 4294967296)::text);
                    END IF;
                    RETURN NULL;
                END
                $$;
                """);
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS job_notify ON job;");
            migrationBuilder.Sql("""
                CREATE TRIGGER job_notify AFTER INSERT OR UPDATE OF status, progress, current_step OR DELETE ON job
                FOR EACH ROW EXECUTE FUNCTION job_notify();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION job_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('job_events', json_build_object(
                        'id', NEW.id, 'status', NEW.status, 'progress', NEW.progress, 'step', NEW.current_step)::text);
                    RETURN NULL;
                END
                $$;
                """);
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS job_notify ON job;");
            migrationBuilder.Sql("""
                CREATE TRIGGER job_notify AFTER INSERT OR UPDATE OF status, progress, current_step ON job
                FOR EACH ROW EXECUTE FUNCTION job_notify();
                """);
        }
    }
}
