using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Infrastructure.Persistence.Converters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MediaPlatform.Infrastructure.Persistence.Configurations;

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.ToTable("job", t =>
        {
            t.HasCheckConstraint("ck_job_status", SnakeCaseEnumConverter<JobStatus>.CheckSql("status"));
            t.HasCheckConstraint("ck_job_kind", SnakeCaseEnumConverter<JobKind>.CheckSql("kind"));
            t.HasCheckConstraint("ck_job_progress", "progress BETWEEN 0 AND 100");
            t.HasCheckConstraint("ck_job_priority", $"priority BETWEEN {Job.MinPriority} AND {Job.MaxPriority}");
            t.HasCheckConstraint("ck_job_attempts", "attempts >= 0 AND max_attempts >= 1");
            t.HasCheckConstraint("ck_job_lease", "(status = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)");
        });

        builder.HasKey(j => j.Id);
        builder.Property(j => j.Id).ValueGeneratedNever();
        builder.Property(j => j.Version).IsRowVersion();
        builder.Ignore(j => j.DomainEvents);
        builder.Ignore(j => j.IsTerminal);

        builder.Property(j => j.Options)
            .HasConversion<JsonColumnConverter<JobOptions>>()
            .HasColumnType("jsonb")
            .IsRequired();
        builder.Property(j => j.CurrentStep).HasMaxLength(64);
        builder.Property(j => j.LeaseOwner).HasMaxLength(200);
        builder.Property(j => j.TraceParent).HasMaxLength(Job.MaxTraceParentLength);
        builder.Property(j => j.ErrorCode).HasMaxLength(100);
        builder.Property(j => j.ErrorMessage).HasMaxLength(Job.MaxErrorMessageLength);

        // Deleting media that still has jobs is refused: the API answers 409 instead of losing history.
        builder.HasOne<MediaAsset>()
            .WithMany()
            .HasForeignKey(j => j.MediaAssetId)
            .HasConstraintName("fk_job_media_asset_id")
            .OnDelete(DeleteBehavior.Restrict);


        // Every row belongs to a tenant; the tenant is deleted only through ITenantEraser, which deletes its rows first.
        builder.HasOne<Tenant>()
            .WithMany()
            .HasForeignKey(e => e.TenantId)
            .HasConstraintName("fk_job_tenant_id")
            .OnDelete(DeleteBehavior.Restrict);

        // The queue's last minute (GET /api/v1/queue): jobs that finished recently, without scanning the history.
        builder.HasIndex(j => j.FinishedAt)
            .HasDatabaseName("ix_job_finished_at")
            .HasFilter("finished_at IS NOT NULL");

        // The fair claim: each tenant's most urgent due job, and how many each tenant runs.
        builder.HasIndex(j => new { j.TenantId, j.Priority, j.RunAfter, j.Id })
            .HasDatabaseName("ix_job_tenant_queue_claim")
            .IsDescending(false, true, false, false)
            .HasFilter("status = 'queued'");
        builder.HasIndex(j => j.TenantId)
            .HasDatabaseName("ix_job_tenant_running")
            .HasFilter("status = 'running'");
        builder.HasIndex(j => new { j.TenantId, j.CreatedAt, j.Id }).HasDatabaseName("ix_job_tenant_id_created_at_id");

        // The queue's claim: the most urgent due job among the queued ones only.
        builder.HasIndex(j => new { j.Priority, j.RunAfter, j.Id })
            .HasDatabaseName("ix_job_queue_claim")
            .IsDescending(true, false, false)
            .HasFilter("status = 'queued'");

        // The reaper: running jobs by lease expiry.
        builder.HasIndex(j => j.LeaseExpiresAt)
            .HasDatabaseName("ix_job_lease_expiry")
            .HasFilter("status = 'running'");

        // Keyset pagination, newest first, unfiltered and by status.
        builder.HasIndex(j => new { j.CreatedAt, j.Id }).HasDatabaseName("ix_job_created_at_id");
        builder.HasIndex(j => new { j.Status, j.CreatedAt, j.Id }).HasDatabaseName("ix_job_status_created_at_id");
        builder.HasIndex(j => new { j.MediaAssetId, j.CreatedAt }).HasDatabaseName("ix_job_media_asset_id_created_at");
    }
}
