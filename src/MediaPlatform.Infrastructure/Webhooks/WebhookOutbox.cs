using System.Runtime.CompilerServices;
using System.Text.Json;
using MapsterMapper;
using MediaPlatform.Application.Jobs;
using MediaPlatform.Application.Media;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using System.Text.Json.Serialization;

namespace MediaPlatform.Infrastructure.Webhooks;

/// <summary>
/// The transactional outbox (docs/adr/0014): while a unit of work saves, every job transition it carries that a
/// webhook can announce (started, succeeded, failed, cancelled) becomes a <see cref="WebhookEvent"/> row in the same
/// transaction, so there is no event without its change and no change without its event. The payload is the job as
/// the API returns it, at that moment; likewise <c>media.ready</c> with the media when probing first finds it
/// decodable. An event is written once, however often the aggregate's copy is saved again.
/// </summary>
internal sealed class WebhookOutbox : SaveChangesInterceptor
{
    /// <summary>The Application's mappings (the API's shape of a job); built here so tools without the Application's services save too.</summary>
    private static readonly Mapper Mapper = new(Application.DependencyInjection.CreateMappingConfig());

    /// <summary>The API's JSON: camelCase, enums as camelCase strings.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>Events already given an outbox row, and by which unit of work (a failed save's rows are not kept).</summary>
    private static readonly ConditionalWeakTable<IDomainEvent, Mark> Written = [];

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            AddEvents(context);
        }

        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context)
        {
            AddEvents(context);
        }

        return result;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ForgetUnsaved(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => ForgetUnsaved(eventData.Context);

    // A lost race (an xmin conflict) is not reported as a failed save: EF Core calls this hook instead.
    public override ValueTask<InterceptionResult> ThrowingConcurrencyExceptionAsync(
        ConcurrencyExceptionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        ForgetUnsaved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult ThrowingConcurrencyException(ConcurrencyExceptionEventData eventData, InterceptionResult result)
    {
        ForgetUnsaved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        MarkSaved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        MarkSaved(eventData.Context);
        return result;
    }

    private void AddEvents(DbContext context)
    {
        foreach (var entry in context.ChangeTracker.Entries<Job>().ToList())
        {
            foreach (var changed in entry.Entity.DomainEvents.OfType<JobStatusChanged>())
            {
                if (TypeOf(changed) is not { } type || IsWritten(changed, context))
                {
                    continue;
                }

                var job = entry.Entity;
                var id = Guid.CreateVersion7(changed.OccurredAt);
                var payload = JsonSerializer.Serialize(
                    new { type, timestamp = changed.OccurredAt, data = Mapper.Map<JobDto>(job) }, Json);
                context.Add(new WebhookEvent
                {
                    Id = id,
                    TenantId = job.TenantId,
                    Type = type,
                    JobId = job.Id.Value,
                    Payload = payload,
                    CreatedAt = changed.OccurredAt,
                });
                Written.AddOrUpdate(changed, new Mark(context));
            }
        }

        foreach (var entry in context.ChangeTracker.Entries<MediaAsset>().ToList())
        {
            foreach (var ready in entry.Entity.DomainEvents.OfType<MediaBecameReady>())
            {
                if (IsWritten(ready, context))
                {
                    continue;
                }

                var media = entry.Entity;
                context.Add(new WebhookEvent
                {
                    Id = Guid.CreateVersion7(ready.OccurredAt),
                    TenantId = media.TenantId,
                    Type = WebhookEventTypes.MediaReady,
                    JobId = null,
                    Payload = JsonSerializer.Serialize(
                        new { type = WebhookEventTypes.MediaReady, timestamp = ready.OccurredAt, data = Mapper.Map<MediaAssetDto>(media) }, Json),
                    CreatedAt = ready.OccurredAt,
                });
                Written.AddOrUpdate(ready, new Mark(context));
            }
        }
    }

    /// <summary>The event has its outbox row: saved, or added to this unit of work already.</summary>
    private static bool IsWritten(IDomainEvent domainEvent, DbContext context) =>
        Written.TryGetValue(domainEvent, out var mark) && (mark.Saved || ReferenceEquals(mark.Context, context));

    private static void MarkSaved(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var changed in context.ChangeTracker.Entries<Job>().SelectMany(e => e.Entity.DomainEvents)
                     .Concat(context.ChangeTracker.Entries<MediaAsset>().SelectMany(e => e.Entity.DomainEvents)))
        {
            if (Written.TryGetValue(changed, out var mark) && ReferenceEquals(mark.Context, context))
            {
                mark.Saved = true;
            }
        }
    }

    /// <summary>
    /// A save failed (a concurrency conflict, an outage): the outbox rows it added are not kept in the unit of work, and
    /// its events count as unwritten, so a later save writes each event once, or not at all when the caller discards
    /// the change (a reload clears the aggregate's events). Without this, a row added by a failed save stayed in the
    /// change tracker and went out with the next save: two jobs probing new media at once announced it twice.
    /// Called on every failed save, a concurrency conflict included.
    /// </summary>
    private static void ForgetUnsaved(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries<WebhookEvent>().Where(e => e.State == EntityState.Added).ToList())
        {
            entry.State = EntityState.Detached;
        }

        foreach (var raised in context.ChangeTracker.Entries<Job>().SelectMany(e => e.Entity.DomainEvents)
                     .Concat(context.ChangeTracker.Entries<MediaAsset>().SelectMany(e => e.Entity.DomainEvents)))
        {
            if (Written.TryGetValue(raised, out var mark) && ReferenceEquals(mark.Context, context) && !mark.Saved)
            {
                Written.Remove(raised);
            }
        }
    }

    private static string? TypeOf(JobStatusChanged changed) => changed.To switch
    {
        JobStatus.Running when changed.From == JobStatus.Queued => WebhookEventTypes.JobStarted,
        JobStatus.Succeeded => WebhookEventTypes.JobSucceeded,
        JobStatus.Failed => WebhookEventTypes.JobFailed,
        JobStatus.Cancelled => WebhookEventTypes.JobCancelled,
        _ => null,
    };

    private sealed class Mark(DbContext context)
    {
        public DbContext Context { get; } = context;

        public bool Saved { get; set; }
    }
}
