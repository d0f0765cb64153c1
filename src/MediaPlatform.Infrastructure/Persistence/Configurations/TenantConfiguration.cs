using MediaPlatform.Domain.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MediaPlatform.Infrastructure.Persistence.Configurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> builder)
    {
        builder.ToTable("tenant", t =>
        {
            foreach (var column in new[] { "requests_per_minute", "max_concurrent_jobs", "max_queued_jobs", "storage_bytes", "max_media_seconds", "retention_days" })
            {
                t.HasCheckConstraint($"ck_tenant_{column}", $"{column} IS NULL OR {column} >= 1");
            }
        });

        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Version).IsRowVersion();
        builder.Ignore(t => t.DomainEvents);
        builder.Property(t => t.Name).HasMaxLength(Tenant.MaxNameLength);
        builder.Property(t => t.JobWebhookSecret).HasMaxLength(100);
        builder.Property(t => t.PreviousJobWebhookSecret).HasMaxLength(100);
        builder.HasIndex(t => t.Name).IsUnique().HasDatabaseName("ux_tenant_name");

        // Limits are columns, so the queue's claim and the retention sweeper can read them in SQL.
        builder.ComplexProperty(t => t.Limits, limits =>
        {
            limits.Property(l => l.RequestsPerMinute).HasColumnName("requests_per_minute");
            limits.Property(l => l.MaxConcurrentJobs).HasColumnName("max_concurrent_jobs");
            limits.Property(l => l.MaxQueuedJobs).HasColumnName("max_queued_jobs");
            limits.Property(l => l.StorageBytes).HasColumnName("storage_bytes");
            limits.Property(l => l.MaxMediaSeconds).HasColumnName("max_media_seconds");
            limits.Property(l => l.RetentionDays).HasColumnName("retention_days");
        });

        builder.HasIndex(t => new { t.CreatedAt, t.Id }).HasDatabaseName("ix_tenant_created_at_id");
    }
}
