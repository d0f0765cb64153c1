using MediatR;

namespace MediaPlatform.Application.Common.Messaging;

/// <summary>A request that changes state. Only commands go through <see cref="Behaviors.TransactionBehavior{TRequest,TResponse}"/>.</summary>
public interface ICommand<out TResponse> : IRequest<TResponse>;
