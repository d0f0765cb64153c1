using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Infrastructure.Persistence.Converters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MediaPlatform.Infrastructure.Persistence.Configurations;

internal sealed class MediaAssetConfiguration : IEntityTypeConfiguration<MediaAsset>
{
    public void Configure(EntityTypeBuilder<MediaAsset> builder)
    {
        builder.ToTable("media_asset", t =>
        {
            t.HasCheckConstraint("ck_media_asset_source", SnakeCaseEnumConverter<MediaSource>.CheckSql("source"));
            t.HasCheckConstraint("ck_media_asset_status", SnakeCaseEnumConverter<MediaStatus>.CheckSql("status"));
            t.HasCheckConstraint("ck_media_asset_size", "size_bytes IS NULL OR size_bytes >= 0");
            t.HasCheckConstraint("ck_media_asset_sha256", "sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'");
            t.HasCheckConstraint("ck_media_asset_url_source", "source <> 'url' OR source_url IS NOT NULL");
            t.HasCheckConstraint("ck_media_asset_stored", "status = 'registered' OR storage_key IS NOT NULL");
        });

        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Version).IsRowVersion();
        builder.Ignore(m => m.DomainEvents);

        builder.Property(m => m.OriginalFileName).HasMaxLength(MediaAsset.MaxFileNameLength);
        builder.Property(m => m.SourceUrl).HasMaxLength(MediaAsset.MaxUrlLength);
        builder.Property(m => m.StorageKey).HasMaxLength(MediaAsset.MaxStorageKeyLength);
        builder.Property(m => m.ContentType).HasMaxLength(MediaAsset.MaxContentTypeLength);
        builder.Property(m => m.Sha256).HasMaxLength(64).IsFixedLength();
        builder.Property(m => m.AudioCodec).HasMaxLength(64);
        builder.Property(m => m.VideoCodec).HasMaxLength(64);
        builder.Property(m => m.RejectionReason).HasMaxLength(2000);


        // Every row belongs to a tenant; the tenant is deleted only through ITenantEraser, which deletes its rows first.
        builder.HasOne<Tenant>()
            .WithMany()
            .HasForeignKey(e => e.TenantId)
            .HasConstraintName("fk_media_asset_tenant_id")
            .OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => new { m.TenantId, m.CreatedAt, m.Id }).HasDatabaseName("ix_media_asset_tenant_id_created_at_id");
        builder.HasIndex(m => new { m.CreatedAt, m.Id }).HasDatabaseName("ix_media_asset_created_at_id");
        builder.HasIndex(m => m.Sha256).HasDatabaseName("ix_media_asset_sha256");
        builder.HasIndex(m => m.StorageKey).IsUnique().HasDatabaseName("ux_media_asset_storage_key");
    }
}
