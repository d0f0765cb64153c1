using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaPlatform.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The queue quota trigger (<c>tenant_queue_guard</c>, migration TenantQuotaGuards) fires only for rows that become
    /// queued: its function returned at once for every other status, but each claim and each completion still paid a
    /// PL/pgSQL call for it. The function is unchanged and keeps its own check (a running job put back is not counted).
    /// </summary>
    public partial class QueueGuardOnlyForQueuedRows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS tenant_queue_guard ON job;");
            migrationBuilder.Sql("""
                CREATE TRIGGER tenant_queue_guard BEFORE INSERT OR UPDATE OF status ON job
                FOR EACH ROW WHEN (NEW.status = 'queued') EXECUTE FUNCTION tenant_queue_guard();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS tenant_queue_guard ON job;");
            migrationBuilder.Sql("""
                CREATE TRIGGER tenant_queue_guard BEFORE INSERT OR UPDATE OF status ON job
                FOR EACH ROW EXECUTE FUNCTION tenant_queue_guard();
                """);
        }
    }
}
