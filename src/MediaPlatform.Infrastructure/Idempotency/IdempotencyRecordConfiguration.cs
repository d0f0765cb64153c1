using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MediaPlatform.Infrastructure.Idempotency;

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public const int MaxKeyLength = 255;

    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_key", t => t.HasCheckConstraint("ck_idempotency_key_completed", "(fingerprint IS NULL) = (status_code IS NULL)"));
        builder.HasKey(r => new { r.TenantId, r.Key });
        builder.HasOne<Domain.Tenants.Tenant>()
            .WithMany()
            .HasForeignKey(r => r.TenantId)
            .HasConstraintName("fk_idempotency_key_tenant_id")
            .OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.Key).HasMaxLength(MaxKeyLength);
        builder.Property(r => r.Fingerprint).HasMaxLength(200);
        builder.Property(r => r.ContentType).HasMaxLength(255);
        builder.Property(r => r.Location).HasMaxLength(2048);
        builder.HasIndex(r => r.ExpiresAt).HasDatabaseName("ix_idempotency_key_expires_at");
    }
}
