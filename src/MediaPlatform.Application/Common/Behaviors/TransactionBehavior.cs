using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain;
using MediaPlatform.Domain.Common;
using MediatR;

namespace MediaPlatform.Application.Common.Behaviors;

/// <summary>
/// Last before the handler, commands only: when the handler succeeds, commit the unit of work, then run the
/// after-commit callbacks and publish the domain events it raised (never before the commit). A failed result or
/// an exception commits nothing and runs the failure callbacks (for example, deleting a blob just written).
/// </summary>
internal sealed class TransactionBehavior<TRequest, TResponse>(
    IUnitOfWork unitOfWork, DomainEventPublisher events, TransactionCallbacks callbacks)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not ICommand<TResponse>)
        {
            return await next();
        }

        TResponse response;
        try
        {
            response = await next();
            if (response is Result { IsFailure: true })
            {
                await callbacks.RunFailedAsync();
                return response;
            }

            await unitOfWork.SaveChangesAsync(cancellationToken);
        }
        catch (LimitExceededException limit) when (FailureOf.Create is { } fail)
        {
            // The store counted the tenant's limit with the write and refused it: the same answer as the handler's check.
            await callbacks.RunFailedAsync();
            return fail(limit.Error);
        }
        catch
        {
            await callbacks.RunFailedAsync();
            throw;
        }

        await callbacks.RunCommittedAsync(cancellationToken);
        await events.PublishAsync(cancellationToken);

        return response;
    }

    /// <summary>Builds a failed <typeparamref name="TResponse"/> when it is a <see cref="Result"/> type.</summary>
    private static class FailureOf
    {
        public static readonly Func<Error, TResponse>? Create = Build();

        private static Func<Error, TResponse>? Build()
        {
            if (typeof(TResponse) == typeof(Result))
            {
                return error => (TResponse)(object)Result.Failure(error);
            }

            if (typeof(TResponse).IsGenericType && typeof(TResponse).GetGenericTypeDefinition() == typeof(Result<>))
            {
                var failure = typeof(TResponse).GetMethod(nameof(Result.Failure), [typeof(Error)])!;
                return error => (TResponse)failure.Invoke(null, [error])!;
            }

            return null;
        }
    }
}
