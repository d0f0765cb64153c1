using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaPlatform.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Announces every change of a job's status, progress or step on the <c>job_events</c> channel, whoever made it
    /// (an API process, a worker, the reaper, an operator's SQL): workers wake up for new jobs and stop cancelled
    /// ones at once, and event streams follow progress.
    /// </summary>
    public partial class JobEventsNotify : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
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
            migrationBuilder.Sql("""
                CREATE TRIGGER job_notify AFTER INSERT OR UPDATE OF status, progress, current_step ON job
                FOR EACH ROW EXECUTE FUNCTION job_notify();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS job_notify ON job;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS job_notify();");
        }
    }
}
