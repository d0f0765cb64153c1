using MediaPlatform.Domain.Common;
using MediatR;

namespace MediaPlatform.Application.Common.Messaging;

/// <summary>Carries a domain event to MediatR notification handlers (the domain itself knows nothing of MediatR).</summary>
public sealed record DomainEventNotification<TEvent>(TEvent DomainEvent) : INotification
    where TEvent : IDomainEvent;
