using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Transcriptions;
using MediaPlatform.Infrastructure.Persistence.Converters;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Infrastructure.Persistence;

/// <summary>The EF Core model of the four seed tables and the unit of work of a request.</summary>
public sealed class MediaPlatformDbContext(DbContextOptions<MediaPlatformDbContext> options)
    : DbContext(options), IUnitOfWork, IDomainEventSource
{
    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<MediaAsset> MediaAssets => Set<MediaAsset>();

    public DbSet<Transcription> Transcriptions => Set<Transcription>();

    public DbSet<AnalysisResult> AnalysisResults => Set<AnalysisResult>();

    internal DbSet<Idempotency.IdempotencyRecord> IdempotencyKeys => Set<Idempotency.IdempotencyRecord>();

    public override async Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new ConcurrencyConflictException(
                "The resource was changed by another request after it was read. Reload it and try again.", ex);
        }
    }

    public IReadOnlyList<IDomainEvent> DequeueDomainEvents()
    {
        var events = new List<IDomainEvent>();
        foreach (var entry in ChangeTracker.Entries<IHasDomainEvents>())
        {
            events.AddRange(entry.Entity.DomainEvents);
            entry.Entity.ClearDomainEvents();
        }

        return events;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MediaPlatformDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<JobId>().HaveConversion<JobIdConverter>();
        configurationBuilder.Properties<MediaAssetId>().HaveConversion<MediaAssetIdConverter>();
        configurationBuilder.Properties<TranscriptionId>().HaveConversion<TranscriptionIdConverter>();
        configurationBuilder.Properties<AnalysisResultId>().HaveConversion<AnalysisResultIdConverter>();

        configurationBuilder.Properties<JobStatus>().HaveConversion<SnakeCaseEnumConverter<JobStatus>>().HaveColumnType("text");
        configurationBuilder.Properties<JobKind>().HaveConversion<SnakeCaseEnumConverter<JobKind>>().HaveColumnType("text");
        configurationBuilder.Properties<MediaSource>().HaveConversion<SnakeCaseEnumConverter<MediaSource>>().HaveColumnType("text");
        configurationBuilder.Properties<MediaStatus>().HaveConversion<SnakeCaseEnumConverter<MediaStatus>>().HaveColumnType("text");
        configurationBuilder.Properties<AnalysisKind>().HaveConversion<SnakeCaseEnumConverter<AnalysisKind>>().HaveColumnType("text");
    }
}
