using MediaPlatform.Domain.Tenants;
using MediaPlatform.Domain.Vocabularies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MediaPlatform.Infrastructure.Persistence.Configurations;

internal sealed class VocabularyConfiguration : IEntityTypeConfiguration<Vocabulary>
{
    public void Configure(EntityTypeBuilder<Vocabulary> builder)
    {
        builder.ToTable("vocabulary", t => t.HasCheckConstraint("ck_vocabulary_terms", "cardinality(terms) BETWEEN 1 AND 1000"));
        builder.HasKey(v => v.Id);
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Name).HasMaxLength(Vocabulary.MaxNameLength);
        builder.Property(v => v.Terms).HasColumnType("text[]");
        builder.HasOne<Tenant>()
            .WithMany()
            .HasForeignKey(v => v.TenantId)
            .HasConstraintName("fk_vocabulary_tenant_id")
            .OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(v => new { v.TenantId, v.CreatedAt }).HasDatabaseName("ix_vocabulary_tenant_id_created_at");
    }
}
