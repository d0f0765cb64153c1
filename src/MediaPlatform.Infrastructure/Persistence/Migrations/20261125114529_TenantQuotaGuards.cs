using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MediaPlatform.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// A tenant's storageBytes and maxQueuedJobs are enforced by the database, in the transaction that writes the row:
    /// a trigger takes a transaction-scoped advisory lock on the tenant (only when the tenant has that limit), counts
    /// what is committed and refuses the write with SQLSTATE MP507 or MP429. Concurrent uploads or submissions queue
    /// on the lock, so the limit holds however many requests race (the handlers' own checks only answer early).
    /// </summary>
    public partial class TenantQuotaGuards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION tenant_storage_guard() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    quota bigint;
                    used bigint;
                BEGIN
                    IF NEW.size_bytes IS NULL OR (TG_OP = 'UPDATE' AND NEW.size_bytes <= coalesce(OLD.size_bytes, 0)) THEN
                        RETURN NEW;
                    END IF;
                    SELECT storage_bytes INTO quota FROM tenant WHERE id = NEW.tenant_id;
                    IF quota IS NULL THEN
                        RETURN NEW;
                    END IF;
                    PERFORM pg_advisory_xact_lock(1297108279, hashtext(NEW.tenant_id::text));
                    SELECT coalesce(sum(size_bytes), 0) INTO used FROM media_asset WHERE tenant_id = NEW.tenant_id AND id <> NEW.id;
                    IF used + NEW.size_bytes > quota THEN
                        RAISE EXCEPTION USING ERRCODE = 'MP507', MESSAGE = format('tenant.storage_bytes %s %s', quota, used);
                    END IF;
                    RETURN NEW;
                END
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER tenant_storage_guard BEFORE INSERT OR UPDATE OF size_bytes ON media_asset
                FOR EACH ROW EXECUTE FUNCTION tenant_storage_guard();
                """);
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION tenant_queue_guard() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    max_queued integer;
                    queued integer;
                BEGIN
                    -- Only a new queued job or a retry of a finished one; a running job put back (lease lost, worker
                    -- stopping) was counted when it was queued and is never refused.
                    IF NEW.status <> 'queued' OR (TG_OP = 'UPDATE' AND OLD.status IN ('queued', 'running')) THEN
                        RETURN NEW;
                    END IF;
                    SELECT max_queued_jobs INTO max_queued FROM tenant WHERE id = NEW.tenant_id;
                    IF max_queued IS NULL THEN
                        RETURN NEW;
                    END IF;
                    PERFORM pg_advisory_xact_lock(1297108273, hashtext(NEW.tenant_id::text));
                    SELECT count(*) INTO queued FROM job WHERE tenant_id = NEW.tenant_id AND status = 'queued' AND id <> NEW.id;
                    IF queued >= max_queued THEN
                        RAISE EXCEPTION USING ERRCODE = 'MP429', MESSAGE = format('tenant.max_queued_jobs %s %s', max_queued, queued);
                    END IF;
                    RETURN NEW;
                END
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER tenant_queue_guard BEFORE INSERT OR UPDATE OF status ON job
                FOR EACH ROW EXECUTE FUNCTION tenant_queue_guard();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS tenant_queue_guard ON job;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS tenant_queue_guard();");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS tenant_storage_guard ON media_asset;");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS tenant_storage_guard();");
        }
    }
}
