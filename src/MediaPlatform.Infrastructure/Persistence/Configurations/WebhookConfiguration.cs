using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Domain.Webhooks;
using MediaPlatform.Infrastructure.Persistence.Converters;
using MediaPlatform.Infrastructure.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MediaPlatform.Infrastructure.Persistence.Configurations;

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable("webhook_subscription", t => t.HasCheckConstraint("ck_webhook_subscription_events", "cardinality(events) >= 1"));
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Url).HasMaxLength(WebhookSubscription.MaxUrlLength);
        builder.Property(s => s.Events).HasColumnType("text[]");
        builder.Property(s => s.Description).HasMaxLength(WebhookSubscription.MaxDescriptionLength);
        builder.Property(s => s.Headers)
            .HasConversion(
                new JsonColumnConverter<Dictionary<string, string>>(),
                // Compared by content (a change is a new map, but EF Core must not take an equal copy for a change).
                new ValueComparer<Dictionary<string, string>>(
                    (a, b) => a == b || (a != null && b != null && a.Count == b.Count && !a.Except(b).Any()),
                    d => d.Aggregate(0, (hash, header) => HashCode.Combine(hash, header.Key, header.Value)),
                    d => new Dictionary<string, string>(d, StringComparer.OrdinalIgnoreCase)))
            .HasColumnType("jsonb")
            .HasDefaultValueSql("'{}'::jsonb")
            .IsRequired();
        builder.Property(s => s.Secret).HasMaxLength(100);
        builder.Property(s => s.PreviousSecret).HasMaxLength(100);
        builder.Property(s => s.DisabledReason).HasMaxLength(500);
        builder.HasIndex(s => new { s.TenantId, s.CreatedAt }).HasDatabaseName("ix_webhook_subscription_tenant_id_created_at");
        builder.HasOne<Tenant>()
            .WithMany()
            .HasForeignKey(s => s.TenantId)
            .HasConstraintName("fk_webhook_subscription_tenant_id")
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> builder)
    {
        builder.ToTable("webhook_event");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Type).HasMaxLength(64);
        builder.Property(e => e.Payload).HasColumnType("jsonb");
        // The dispatcher's work: events not fanned out yet, oldest first.
        builder.HasIndex(e => e.CreatedAt).HasDatabaseName("ix_webhook_event_pending").HasFilter("fanned_out_at IS NULL");
        builder.HasOne<Tenant>()
            .WithMany()
            .HasForeignKey(e => e.TenantId)
            .HasConstraintName("fk_webhook_event_tenant_id")
            .OnDelete(DeleteBehavior.Cascade);
    }
}
