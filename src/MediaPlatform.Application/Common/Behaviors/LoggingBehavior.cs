using System.Diagnostics;
using MediaPlatform.Domain.Common;
using MediatR;
using Microsoft.Extensions.Logging;

namespace MediaPlatform.Application.Common.Behaviors;

/// <summary>First in the pipeline: one structured line per request with its name, outcome and elapsed time.</summary>
internal sealed partial class LoggingBehavior<TRequest, TResponse>(ILogger<LoggingBehavior<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response is Result { Error: { } error })
            {
                LogFailed(logger, typeof(TRequest).Name, error.Code, elapsed);
            }
            else
            {
                LogHandled(logger, typeof(TRequest).Name, elapsed);
            }

            return response;
        }
        catch (Exception ex)
        {
            LogThrew(logger, ex, typeof(TRequest).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Request} handled in {ElapsedMs:F1} ms")]
    private static partial void LogHandled(ILogger logger, string request, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Request} refused with {ErrorCode} in {ElapsedMs:F1} ms")]
    private static partial void LogFailed(ILogger logger, string request, string errorCode, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Request} threw after {ElapsedMs:F1} ms")]
    private static partial void LogThrew(ILogger logger, Exception exception, string request, double elapsedMs);
}
