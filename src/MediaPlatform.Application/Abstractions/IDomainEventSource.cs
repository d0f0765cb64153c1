using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Abstractions;

/// <summary>Hands over the domain events raised by the aggregates of the current unit of work, once.</summary>
public interface IDomainEventSource
{
    IReadOnlyList<IDomainEvent> DequeueDomainEvents();
}
