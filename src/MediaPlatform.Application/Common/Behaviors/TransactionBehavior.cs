using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain;
using MediaPlatform.Domain.Common;
using MediatR;

namespace MediaPlatform.Application.Common.Behaviors;

/// <summary>
/// Last before the handler, commands only: when the handler succeeds, commit the unit of work, then publish the
/// domain events it raised (never before the commit). A failed result commits nothing.
/// </summary>
internal sealed class TransactionBehavior<TRequest, TResponse>(IUnitOfWork unitOfWork, IDomainEventSource events, IMediator mediator)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not ICommand<TResponse>)
        {
            return await next();
        }

        var response = await next();
        if (response is Result { IsFailure: true })
        {
            return response;
        }

        await unitOfWork.SaveChangesAsync(cancellationToken);
        foreach (var domainEvent in events.DequeueDomainEvents())
        {
            var notificationType = typeof(DomainEventNotification<>).MakeGenericType(domainEvent.GetType());
            await mediator.Publish((INotification)Activator.CreateInstance(notificationType, domainEvent)!, cancellationToken);
        }

        return response;
    }
}
