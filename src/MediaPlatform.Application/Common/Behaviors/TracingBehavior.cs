using System.Diagnostics;
using MediaPlatform.Application.Common.Telemetry;
using MediaPlatform.Domain.Common;
using MediatR;

namespace MediaPlatform.Application.Common.Behaviors;

/// <summary>Outermost: one span per request (<c>mediatr SubmitJobCommand</c>), marked as an error when it is refused or throws.</summary>
internal sealed class TracingBehavior<TRequest, TResponse> : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly string SpanName = $"mediatr {typeof(TRequest).Name}";

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        using var activity = PlatformTelemetry.Source.StartActivity(SpanName);
        if (activity is null)
        {
            return await next();
        }

        activity.SetTag("mediatr.request", typeof(TRequest).Name);
        try
        {
            var response = await next();
            if (response is Result { Error: { } error })
            {
                activity.SetTag("mediaplatform.error.code", error.Code);
                activity.SetStatus(ActivityStatusCode.Error, error.Code);
            }

            return response;
        }
        catch (Exception ex)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }
}
