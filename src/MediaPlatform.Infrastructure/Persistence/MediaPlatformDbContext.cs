using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Domain.Transcriptions;
using MediaPlatform.Infrastructure.Persistence.Converters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace MediaPlatform.Infrastructure.Persistence;

/// <summary>
/// The EF Core model of the seed tables and tenants, and the unit of work of a request. Tenant isolation is
/// enforced here, once (docs/adr/0008-tenant-isolation-with-query-filters.md): every tenant-owned entity has a
/// global query filter on the tenant of <see cref="TenantScope"/>, and new rows are stamped with it. A context
/// made by the service always has a scope; one that acts for no tenant sees no tenant-owned row and cannot add one.
/// Code that must cross tenants (the queue's claim, the reaper, the retention sweeper) says so with
/// <c>IgnoreQueryFilters()</c>. A context built by hand (tools, tests) has no scope: no filter, and new rows go to
/// the default tenant unless they name one.
/// </summary>
public sealed class MediaPlatformDbContext(DbContextOptions<MediaPlatformDbContext> options)
    : DbContext(options), IUnitOfWork, IDomainEventSource
{
    /// <summary>Who this unit of work acts for; set when the service resolves the context in a scope.</summary>
    internal TenantContext? TenantScope { get; set; }

    // Read by the query filters: EF Core evaluates them as parameters of every query.
    private bool TenantFilterOff => TenantScope is null;

    private TenantId TenantFilterId => TenantScope?.TenantId ?? default;

    /// <summary>Whether the query filters let this unit of work see a row of <paramref name="tenantId"/> (for rows it did not query, such as a kept snapshot).</summary>
    internal bool Sees(TenantId tenantId) => TenantFilterOff || tenantId == TenantFilterId;

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<MediaAsset> MediaAssets => Set<MediaAsset>();

    public DbSet<Transcription> Transcriptions => Set<Transcription>();

    public DbSet<TranscriptionRevision> TranscriptionRevisions => Set<TranscriptionRevision>();

    public DbSet<AnalysisResult> AnalysisResults => Set<AnalysisResult>();

    public DbSet<Domain.Vocabularies.Vocabulary> Vocabularies => Set<Domain.Vocabularies.Vocabulary>();

    internal DbSet<Idempotency.IdempotencyRecord> IdempotencyKeys => Set<Idempotency.IdempotencyRecord>();

    public DbSet<Domain.Webhooks.WebhookSubscription> WebhookSubscriptions => Set<Domain.Webhooks.WebhookSubscription>();

    internal DbSet<Webhooks.WebhookEvent> WebhookEvents => Set<Webhooks.WebhookEvent>();

    public override async Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
    {
        // One pass over the tracked entities finds what changed. With automatic detection on, every listing of entries
        // in this save (the tenant stamp, the webhook outbox before and after the save, EF Core's own) would compare
        // every property of every tracked entity again: seven passes per save, the largest cost of a batch of jobs.
        ChangeTracker.DetectChanges();
        var detecting = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        StampTenant();
        try
        {
            return JobBatchUpdate.Plan(this) is { } jobs
                ? await SaveWithJobBatchAsync(jobs, cancellationToken)
                : await base.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw new ConcurrencyConflictException(
                "The resource was changed by another request after it was read. Reload it and try again.", ex);
        }
        catch (DbUpdateException ex) when (TenantLimitGuards.Translate(ex) is { } limit)
        {
            throw limit;
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detecting;
        }
    }

    /// <summary>
    /// Several modified jobs (a claim, a group commit): their rows in one statement per set of changed columns
    /// (<see cref="JobBatchUpdate"/>, docs/adr/0030), then EF Core saves the rest (the outbox's rows among them: its
    /// interceptor reads the jobs' events whatever their state), in one transaction, the caller's or its own.
    /// </summary>
    private Task<int> SaveWithJobBatchAsync(JobBatchUpdate jobs, CancellationToken cancellationToken) =>
        Database.CurrentTransaction is not null
            ? WriteWithJobBatchAsync(jobs, null, cancellationToken)
            // Its own transaction, retried as a whole after a transient fault, as EF Core retries its own save.
            : Database.CreateExecutionStrategy().ExecuteAsync(
                jobs,
                async (_, batch, ct) =>
                {
                    await using var transaction = await Database.BeginTransactionAsync(ct);
                    return await WriteWithJobBatchAsync(batch, transaction, ct);
                },
                verifySucceeded: null,
                cancellationToken);

    /// <summary>
    /// The jobs' statements, then EF Core's save of the rest, then the commit of <paramref name="own"/> (null: the
    /// caller's transaction); the jobs take their new versions only once that is done, and are put back for a retry
    /// when anything before it fails.
    /// </summary>
    private async Task<int> WriteWithJobBatchAsync(JobBatchUpdate jobs, IDbContextTransaction? own, CancellationToken cancellationToken)
    {
        try
        {
            var versions = await jobs.ExecuteAsync(this, cancellationToken);
            jobs.Detach();
            var saved = await base.SaveChangesAsync(cancellationToken);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }

            jobs.Accept(versions);
            return saved + jobs.Count;
        }
        catch
        {
            jobs.Restore();
            throw;
        }
    }

    public IReadOnlyList<IDomainEvent> DequeueDomainEvents()
    {
        // Domain events live on the aggregates, not in their columns: listing the entries needs no change detection.
        var detecting = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var events = new List<IDomainEvent>();
            foreach (var entry in ChangeTracker.Entries<IHasDomainEvents>())
            {
                events.AddRange(entry.Entity.DomainEvents);
                entry.Entity.ClearDomainEvents();
            }

            return events;
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detecting;
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MediaPlatformDbContext).Assembly);
        modelBuilder.Entity<Job>().HasQueryFilter(e => TenantFilterOff || e.TenantId == TenantFilterId);
        modelBuilder.Entity<MediaAsset>().HasQueryFilter(e => TenantFilterOff || e.TenantId == TenantFilterId);
        modelBuilder.Entity<Transcription>().HasQueryFilter(e => TenantFilterOff || e.TenantId == TenantFilterId);
        modelBuilder.Entity<TranscriptionRevision>().HasQueryFilter(e => TenantFilterOff || e.TenantId == TenantFilterId);
        modelBuilder.Entity<Domain.Vocabularies.Vocabulary>().HasQueryFilter(e => TenantFilterOff || e.TenantId == TenantFilterId);
        modelBuilder.Entity<AnalysisResult>().HasQueryFilter(e => TenantFilterOff || e.TenantId == TenantFilterId);
        modelBuilder.Entity<Domain.Webhooks.WebhookSubscription>().HasQueryFilter(e => TenantFilterOff || e.TenantId == TenantFilterId);
    }

    /// <summary>New tenant-owned rows get the scope's tenant; a row of another tenant is never written.</summary>
    private void StampTenant()
    {
        foreach (var entry in ChangeTracker.Entries<ITenantOwned>())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            var property = entry.Property<TenantId>(nameof(ITenantOwned.TenantId)); // by name: no expression tree per save
            var owner = property.CurrentValue;
            if (TenantScope is null)
            {
                if (entry.State == EntityState.Added && owner == default)
                {
                    property.CurrentValue = TenantId.Default;
                }

                continue;
            }

            if (TenantScope.TenantId is not { } tenant)
            {
                if (entry.State == EntityState.Added)
                {
                    throw new InvalidOperationException($"A {entry.Metadata.ClrType.Name} cannot be stored outside a tenant.");
                }

                continue; // a system task (the reaper) changing rows it found across tenants
            }

            if (entry.State == EntityState.Added && owner == default)
            {
                property.CurrentValue = tenant;
            }
            else if (owner != tenant)
            {
                throw new InvalidOperationException($"A unit of work of tenant '{tenant}' tried to write a {entry.Metadata.ClrType.Name} of tenant '{owner}'.");
            }
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<TenantId>().HaveConversion<TenantIdConverter>();
        configurationBuilder.Properties<ApiKeyId>().HaveConversion<ApiKeyIdConverter>();
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
