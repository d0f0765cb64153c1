using MediaPlatform.Domain.Tenants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MediaPlatform.Infrastructure.Persistence.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_key", t =>
        {
            t.HasCheckConstraint("ck_api_key_hash", "octet_length(hash) = 32");
            t.HasCheckConstraint("ck_api_key_scopes", "cardinality(scopes) >= 1 AND scopes <@ ARRAY['admin', 'read', 'write', 'pii']::text[]");
        });

        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).ValueGeneratedNever();
        builder.Property(k => k.Version).IsRowVersion();
        builder.Ignore(k => k.DomainEvents);
        builder.Property(k => k.Name).HasMaxLength(ApiKey.MaxNameLength);
        builder.Property(k => k.Prefix).HasMaxLength(ApiKeySecret.VisiblePrefixLength);
        builder.Property(k => k.Hash).IsRequired();
        builder.Property(k => k.Scopes)
            .HasColumnType("text[]")
            .HasConversion(v => v.ToArray(), v => v, new ValueComparer<IReadOnlyList<string>>((a, b) => a!.SequenceEqual(b!), v => v.Count, v => v.ToArray()));

        // Authentication looks a key up by the hash of what the client sent.
        builder.HasIndex(k => k.Hash).IsUnique().HasDatabaseName("ux_api_key_hash");
        builder.HasIndex(k => new { k.TenantId, k.CreatedAt }).HasDatabaseName("ix_api_key_tenant_id_created_at");
        builder.HasOne<Tenant>()
            .WithMany()
            .HasForeignKey(k => k.TenantId)
            .HasConstraintName("fk_api_key_tenant_id")
            .OnDelete(DeleteBehavior.Cascade);
    }
}
