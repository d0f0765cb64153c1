using System.Data.Common;
using System.Text.RegularExpressions;
using FluentValidation;
using MediaPlatform.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace MediaPlatform.Api.Errors;

/// <summary>
/// Maps what escapes a request to RFC 9457 problem+json: validation -> 400 with field errors, unreadable input -> 400,
/// lost concurrency race -> 409, database unavailable -> 503 with Retry-After, anything else -> 500 without internals.
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ValidationException validation => Validation(validation),
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request could not be read.",
                Detail = Readable(httpContext, bad),
            },
            Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: Npgsql.PostgresException { SqlState: "23503" or "23505" } } => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The request conflicts with another change.",
                Detail = "Another request changed related data at the same time (for example, a job was submitted for media being deleted). Reload and try again.",
            },
            // Bodies the endpoints read themselves (the upload's JSON or multipart form) fail with these.
            System.Text.Json.JsonException json => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request could not be read.",
                Detail = BindingErrors.Describe(httpContext, json),
            },
            InvalidDataException multipart => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request could not be read.",
                Detail = $"The multipart body is malformed: {multipart.Message}",
            },
            LimitExceededException limit => new ProblemDetails
            {
                Status = ErrorResults.StatusFor(limit.Error.Type),
                Title = "A limit of the tenant is reached.",
                Detail = limit.Error.Message,
                Extensions = { ["code"] = limit.Error.Code },
            },
            ConcurrencyConflictException conflict => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The resource was changed by another request.",
                Detail = conflict.Message,
            },
            _ when IsDatabaseUnavailable(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is unavailable.",
                Detail = $"The service cannot reach its database right now. Retry in {RetryAfterSeconds} seconds.",
            },
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => null,
            _ => new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred.",
                Detail = "The error was logged; quote the traceId when you report it.",
            },
        };

        if (problem is null)
        {
            return true; // the client went away; nobody to answer
        }

        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            LogDatabaseUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
        }
        else if (problem.Status >= 500)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static HttpValidationProblemDetails Validation(ValidationException exception) =>
        new(exception.Errors
            .GroupBy(e => ToCamelCase(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
            Detail = string.Join(" ", exception.Errors.Select(e => e.ErrorMessage).Distinct()),
        };

    private static string Readable(HttpContext context, BadHttpRequestException exception)
    {
        if (exception.InnerException is System.Text.Json.JsonException json)
        {
            return BindingErrors.Describe(context, json);
        }

        // 'Implicit body inferred for parameter "body" but no body was provided. Did you mean to use a Service instead?'
        if (exception.Message.Contains("no body was provided", StringComparison.Ordinal)
            || exception.Message.Contains("was not provided from body", StringComparison.Ordinal))
        {
            return BindingErrors.DescribeMissingBody(context);
        }

        // 'Failed to bind parameter "Nullable<ApiEnum<JobStatus>> status" from "nope".' says more about C# than about the API.
        var binding = BindFailure().Match(exception.Message);
        return binding.Success
            ? BindingErrors.DescribeParameter(context, binding.Groups["name"].Value, binding.Groups["value"].Value)
            : exception.Message;
    }

    [GeneratedRegex("^Failed to bind parameter \"[^\"]* (?<name>\\w+)\" from \"(?<value>.*)\"\\.$")]
    private static partial Regex BindFailure();

    private static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.NpgsqlException { IsTransient: true } or TimeoutException
                || (e is DbException && e.InnerException is System.Net.Sockets.SocketException))
            {
                return true;
            }

            if (e is Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A field's path as clients write it, <c>Jobs[1].MediaId</c> -> <c>jobs[1].mediaId</c>: by the JSON naming policy,
    /// as the field's name in the messages is (the validators' display names).
    /// </summary>
    private static string ToCamelCase(string name) =>
        string.Join('.', name.Split('.').Select(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName));

    [LoggerMessage(Level = LogLevel.Warning, Message = "503 for {Method} {Path}: the database is unavailable ({Reason})")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
