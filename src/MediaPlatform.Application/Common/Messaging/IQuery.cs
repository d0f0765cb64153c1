using MediatR;

namespace MediaPlatform.Application.Common.Messaging;

/// <summary>A request that only reads.</summary>
public interface IQuery<out TResponse> : IRequest<TResponse>;
