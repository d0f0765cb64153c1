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

    /// <summary>
    /// The event types each of the given tenants' enabled subscriptions want, read by the saving unit of work just before
    /// it writes (in its transaction when it has one).
    /// </summary>
    private const string SubscribedSql = """
        SELECT tenant_id, events FROM webhook_subscription
        WHERE tenant_id = ANY (@tenants) AND disabled_at IS NULL
        """;

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && Pending(context) is { Count: > 0 } pending)
        {
            var subscribed = await context.Database.SqlQueryRaw<SubscribedEvents>(SubscribedSql, TenantsParameter(pending)).ToListAsync(cancellationToken);
            AddEvents(context, pending, subscribed);
        }

        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context && Pending(context) is { Count: > 0 } pending)
        {
            var subscribed = context.Database.SqlQueryRaw<SubscribedEvents>(SubscribedSql, TenantsParameter(pending)).ToList();
            AddEvents(context, pending, subscribed);
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

    /// <summary>The announceable events of this unit of work that have no outbox row yet.</summary>
    private static List<PendingEvent> Pending(DbContext context)
    {
        var pending = new List<PendingEvent>();
        foreach (var entry in context.ChangeTracker.Entries<Job>())
        {
            foreach (var changed in entry.Entity.DomainEvents.OfType<JobStatusChanged>())
            {
                if (TypeOf(changed) is { } type && !IsWritten(changed, context))
                {
                    pending.Add(new PendingEvent(changed, type, entry.Entity.TenantId, entry.Entity, null));
                }
            }
        }

        foreach (var entry in context.ChangeTracker.Entries<MediaAsset>())
        {
            foreach (var ready in entry.Entity.DomainEvents.OfType<MediaBecameReady>())
            {
                if (!IsWritten(ready, context))
                {
                    pending.Add(new PendingEvent(ready, WebhookEventTypes.MediaReady, entry.Entity.TenantId, null, entry.Entity));
                }
            }
        }

        return pending;
    }

    private static Npgsql.NpgsqlParameter TenantsParameter(List<PendingEvent> pending) =>
        new("tenants", pending.Select(p => p.TenantId.Value).Distinct().ToArray());

    /// <summary>
    /// An outbox row for each pending event that someone will be told of: an enabled subscription of its tenant that
    /// wants its type (<see cref="WebhookEventTypes.Matches"/>, the rule deliveries fan out by; one committed before this
    /// save counts), or, for the end of a job, the
    /// job's own webhook. An event nobody listens to is only marked as handled: no row to write, fan out and purge
    /// (the queue's work per job; the dispatcher would have found no delivery to make for it).
    /// </summary>
    private static void AddEvents(DbContext context, List<PendingEvent> pending, List<SubscribedEvents> subscriptions)
    {
        foreach (var (raised, type, tenant, job, media) in pending)
        {
            Written.AddOrUpdate(raised, new Mark(context));
            var ownWebhook = job?.Options.Webhook is not null && WebhookEventTypes.JobEnded.Contains(type, StringComparer.Ordinal);
            if (!ownWebhook && !subscriptions.Any(s => s.TenantId == tenant.Value && WebhookEventTypes.Matches(s.Events, type)))
            {
                continue;
            }

            object data = job is not null ? Mapper.Map<JobDto>(job) : Mapper.Map<MediaAssetDto>(media!);
            context.Add(new WebhookEvent
            {
                Id = Guid.CreateVersion7(raised.OccurredAt),
                TenantId = tenant,
                Type = type,
                JobId = job?.Id.Value,
                Payload = JsonSerializer.Serialize(new { type, timestamp = raised.OccurredAt, data }, Json),
                CreatedAt = raised.OccurredAt,
            });
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

    private sealed record PendingEvent(IDomainEvent Event, string Type, Domain.Tenants.TenantId TenantId, Job? Job, MediaAsset? Media);

    /// <summary>A row of <see cref="SubscribedSql"/>.</summary>
    private sealed class SubscribedEvents
    {
        public Guid TenantId { get; set; }

        public string[] Events { get; set; } = [];
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
