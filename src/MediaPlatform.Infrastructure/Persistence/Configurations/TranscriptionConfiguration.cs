using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Domain.Transcriptions;
using MediaPlatform.Infrastructure.Persistence.Converters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MediaPlatform.Infrastructure.Persistence.Configurations;

internal sealed class TranscriptionConfiguration : IEntityTypeConfiguration<Transcription>
{
    public void Configure(EntityTypeBuilder<Transcription> builder)
    {
        builder.ToTable("transcription", t =>
        {
            t.HasCheckConstraint("ck_transcription_confidence", "confidence IS NULL OR confidence BETWEEN 0 AND 1");
            t.HasCheckConstraint("ck_transcription_word_count", "word_count >= 0");
        });

        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Version).IsRowVersion();
        builder.Ignore(t => t.DomainEvents);

        builder.Property(t => t.Language).HasMaxLength(16);
        builder.Property(t => t.Engine).HasMaxLength(64);
        builder.Property(t => t.Model).HasMaxLength(200);

        // Segments are immutable value objects: compare by reference, never mutated in place.
        builder.Property(t => t.Segments).HasSegments();

        builder.Property(t => t.Redactions)
            .HasConversion(
                (ValueConverter)new JsonColumnConverter<IReadOnlyList<RedactedSpan>>(),
                new ValueComparer<IReadOnlyList<RedactedSpan>?>((a, b) => ReferenceEquals(a, b), v => v == null ? 0 : v.Count, v => v))
            .HasColumnType("jsonb");
        builder.Property(t => t.UnredactedSegments)
            .HasConversion(
                (ValueConverter)new JsonColumnConverter<IReadOnlyList<Segment>>(),
                new ValueComparer<IReadOnlyList<Segment>?>((a, b) => ReferenceEquals(a, b), v => v == null ? 0 : v.Count, v => v))
            .HasColumnType("jsonb");
        builder.Property(t => t.Revision).HasDefaultValue(1);
        builder.Property(t => t.SpeakerNames).HasSpeakerNames();
        builder.Ignore(t => t.SpeakerLabels);

        // One transcription per job: a retried job can never write a second one.
        builder.HasOne<Job>()
            .WithOne()
            .HasForeignKey<Transcription>(t => t.JobId)
            .HasConstraintName("fk_transcription_job_id")
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => t.JobId).IsUnique().HasDatabaseName("ux_transcription_job_id");

        // Every row belongs to a tenant; the tenant is deleted only through ITenantEraser, which deletes its rows first.
        builder.HasOne<Tenant>()
            .WithMany()
            .HasForeignKey(e => e.TenantId)
            .HasConstraintName("fk_transcription_tenant_id")
            .OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(t => t.TenantId).HasDatabaseName("ix_transcription_tenant_id");

        builder.HasOne<MediaAsset>()
            .WithMany()
            .HasForeignKey(t => t.MediaAssetId)
            .HasConstraintName("fk_transcription_media_asset_id")
            .OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(t => t.MediaAssetId).HasDatabaseName("ix_transcription_media_asset_id");
    }
}

/// <summary>The revisions edits replaced (revision 1 is the engine's output), deleted with their transcription.</summary>
internal sealed class TranscriptionRevisionConfiguration : IEntityTypeConfiguration<TranscriptionRevision>
{
    public void Configure(EntityTypeBuilder<TranscriptionRevision> builder)
    {
        builder.ToTable("transcription_revision", t => t.HasCheckConstraint("ck_transcription_revision_revision", "revision >= 1"));
        builder.HasKey(r => new { r.TranscriptionId, r.Revision });
        builder.Property(r => r.Segments).HasSegments();
        builder.Property(r => r.SpeakerNames).HasSpeakerNames();
        builder.HasOne<Transcription>()
            .WithMany()
            .HasForeignKey(r => r.TranscriptionId)
            .HasConstraintName("fk_transcription_revision_transcription_id")
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Tenant>()
            .WithMany()
            .HasForeignKey(r => r.TenantId)
            .HasConstraintName("fk_transcription_revision_tenant_id")
            .OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => r.TenantId).HasDatabaseName("ix_transcription_revision_tenant_id");
    }
}

internal static class TranscriptColumns
{
    /// <summary>Segments as jsonb; immutable value objects, so compared by reference and never mutated in place.</summary>
    public static PropertyBuilder<IReadOnlyList<Segment>> HasSegments(this PropertyBuilder<IReadOnlyList<Segment>> property) =>
        property
            .HasConversion(
                new JsonColumnConverter<IReadOnlyList<Segment>>(),
                new ValueComparer<IReadOnlyList<Segment>>((a, b) => ReferenceEquals(a, b), v => v.Count, v => v))
            .HasColumnType("jsonb")
            .IsRequired();

    /// <summary>A label -> name map as jsonb, compared by content; replaced whole by an edit, never changed in place.</summary>
    public static PropertyBuilder<IReadOnlyDictionary<string, string>> HasSpeakerNames(this PropertyBuilder<IReadOnlyDictionary<string, string>> property) =>
        property
            .HasConversion(
                new JsonColumnConverter<IReadOnlyDictionary<string, string>>(),
                new ValueComparer<IReadOnlyDictionary<string, string>>(
                    (a, b) => a == b || (a != null && b != null && a.Count == b.Count && !a.Except(b).Any()),
                    d => d.Aggregate(0, (hash, name) => HashCode.Combine(hash, name.Key, name.Value)),
                    d => d))
            .HasColumnType("jsonb")
            .HasDefaultValueSql("'{}'::jsonb")
            .IsRequired();
}
