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
    public async Task PublishAsync(CancellationToken cancellationToken = default)
    {
        foreach (var domainEvent in events.DequeueDomainEvents())
        {
            var notificationType = typeof(DomainEventNotification<>).MakeGenericType(domainEvent.GetType());
            await mediator.Publish((INotification)Activator.CreateInstance(notificationType, domainEvent)!, cancellationToken);
        }
    }
}
