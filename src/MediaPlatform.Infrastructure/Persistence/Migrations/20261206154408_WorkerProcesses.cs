using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaPlatform.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The worker processes alive, one row each (<c>host:pid</c>), written by the process itself every heartbeat
    /// period and removed when it stops; a row past its <c>expires_at</c> (not renewed: the process died) is not
    /// alive, and any process removes it. Not an EF entity: only <c>WorkerPresenceService</c> and the queue's statistics read and write it.
    /// A running job's <c>lease_owner</c> begins with its process's id.
    /// </summary>
    public partial class WorkerProcesses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE worker_process (
                    id character varying(200) NOT NULL,
                    host character varying(200) NOT NULL,
                    pid integer NOT NULL,
                    job_loops integer NOT NULL,
                    part_loops integer NOT NULL,
                    started_at timestamp with time zone NOT NULL DEFAULT clock_timestamp(),
                    last_seen_at timestamp with time zone NOT NULL DEFAULT clock_timestamp(),
                    expires_at timestamp with time zone NOT NULL,
                    CONSTRAINT pk_worker_process PRIMARY KEY (id),
                    CONSTRAINT ck_worker_process_loops CHECK (job_loops >= 0 AND part_loops >= 0)
                );
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS worker_process;");
        }
    }
}
