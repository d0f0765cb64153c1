using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Domain.Transcriptions;
using MediaPlatform.Infrastructure.Persistence.Converters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MediaPlatform.Infrastructure.Persistence.Configurations;

internal sealed class AnalysisResultConfiguration : IEntityTypeConfiguration<AnalysisResult>
{
    public void Configure(EntityTypeBuilder<AnalysisResult> builder)
    {
        builder.ToTable("analysis_result", t =>
        {
            t.HasCheckConstraint("ck_analysis_result_kind", SnakeCaseEnumConverter<AnalysisKind>.CheckSql("kind"));
            t.HasCheckConstraint("ck_analysis_result_payload", "jsonb_typeof(payload) = 'object'");
        });

        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Version).IsRowVersion();
        builder.Ignore(a => a.DomainEvents);

        builder.Property(a => a.Payload).HasColumnType("jsonb").IsRequired();
        builder.Property(a => a.Score).HasPrecision(12, 6);

        builder.HasOne<Job>()
            .WithMany()
            .HasForeignKey(a => a.JobId)
            .HasConstraintName("fk_analysis_result_job_id")
            .OnDelete(DeleteBehavior.Cascade);

        builder.HasOne<Transcription>()
            .WithMany()
            .HasForeignKey(a => a.TranscriptionId)
            .HasConstraintName("fk_analysis_result_transcription_id")
            .OnDelete(DeleteBehavior.Cascade);

        // Every row belongs to a tenant; the tenant is deleted only through ITenantEraser, which deletes its rows first.
        builder.HasOne<Tenant>()
            .WithMany()
            .HasForeignKey(e => e.TenantId)
            .HasConstraintName("fk_analysis_result_tenant_id")
            .OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => a.TenantId).HasDatabaseName("ix_analysis_result_tenant_id");

        // One result per job and kind: a retried job can never write a second one.
        builder.HasIndex(a => new { a.JobId, a.Kind }).IsUnique().HasDatabaseName("ux_analysis_result_job_id_kind");
        builder.HasIndex(a => a.TranscriptionId).HasDatabaseName("ix_analysis_result_transcription_id");
    }
}
