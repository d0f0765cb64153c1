using MediaPlatform.Application.Abstractions;
using MediatR;

namespace MediaPlatform.Application.Common.Messaging;

/// <summary>
/// Publishes the domain events the unit of work collected, after it committed: to MediatR notification handlers as
/// <see cref="DomainEventNotification{TEvent}"/>. Used by commands (<c>TransactionBehavior</c>) and by the workers'
/// writes to the jobs they hold, so every job transition reaches the same handlers (the webhooks will be one).
/// </summary>
public sealed class DomainEventPublisher(IDomainEventSource events, IMediator mediator)
{
    /// <summary>The notification type of each event type, made once (every job transition publishes one).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Type> NotificationTypes = new();

    public async Task PublishAsync(CancellationToken cancellationToken = default)
    {
        foreach (var domainEvent in events.DequeueDomainEvents())
        {
            var notificationType = NotificationTypes.GetOrAdd(domainEvent.GetType(), t => typeof(DomainEventNotification<>).MakeGenericType(t));
            await mediator.Publish((INotification)Activator.CreateInstance(notificationType, domainEvent)!, cancellationToken);
        }
    }
}
