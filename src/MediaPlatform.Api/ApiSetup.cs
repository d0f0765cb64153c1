using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using MediaPlatform.Api.Auth;
using MediaPlatform.Api.Errors;
using MediaPlatform.Api.Health;
using MediaPlatform.Api.Idempotency;
using MediaPlatform.Api.OpenApi;

namespace MediaPlatform.Api;

/// <summary>The HTTP concerns of the composition root: JSON, problem details, health.</summary>
internal static class ApiSetup
{
    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        AllowedHostsMiddleware.AddAllowedHosts(services);
        // A target past the API's limit gets a problem+json 414 from RequestLimitsMiddleware, not Kestrel's bodiless one.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestLineSize = RequestLimitsMiddleware.KestrelRequestLineBytes);
        services.AddPlatformAuth();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            // A member the request does not take is refused, not ignored: a misspelt limit ("requestPerMinute") or
            // option ("languag") would otherwise be accepted and silently mean "unlimited" or "the default".
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            Errors.BadRequestFormat.Apply(problem);
            // The framework's own 415 (a JSON endpoint sent a form, text...) comes without a word of what to send.
            if (problem.Status == StatusCodes.Status415UnsupportedMediaType && problem.Detail is null)
            {
                var sent = context.HttpContext.Request.ContentType;
                problem.Detail = "This request takes a JSON body: send it with Content-Type: application/json"
                    + (string.IsNullOrEmpty(sent) ? "." : $", not '{sent}'.");
            }

            // The framework's 404 (no route matched: an unknown path, or an id that is not a UUID) says which it can be.
            if (problem.Status == StatusCodes.Status404NotFound && problem.Detail is null)
            {
                problem.Detail = "Nothing is at this path. Ids in paths are UUIDs (such as 0193d1e4-5a8b-7c2d-9e3f-4a5b6c7d8e9f); /openapi/v1.json lists the paths.";
            }

            // Every problem carries a stable code; those raised without one (the framework's 404, 405, 413, the
            // handler's 409, 500, 503) get one from their status.
            problem.Extensions.TryAdd("code", DefaultCode(problem.Status));
            // One naming of problem types for every answer: the framework's own (an RFC section per status) become the
            // platform's page of their code, as the platform's own problems are named.
            if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
            {
                problem.Type = Errors.ErrorResults.TypeFor((string)problem.Extensions["code"]!);
            }
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Unreadable bodies and unbindable parameters reach ProblemExceptionHandler, which says what was wrong.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddPlatformHealthChecks();
        services.AddHostedService<IdempotencyPurgeService>();
        services.AddOptions<Streams.JobStreamOptions>().BindConfiguration(Streams.JobStreamOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Streams.JobStreams>();
        services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Endpoints.OpenAiApiOptions>().BindConfiguration(Endpoints.OpenAiApiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOpenApiDocument();
        return services;
    }

    public static WebApplication UseApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Bodiless 4xx (an unmatched route, a wrong method) become problem+json too.
        app.UseStatusCodePages();
        app.UseMiddleware<RequestLimitsMiddleware>();
        app.UsePlatformAuth();
        // After authentication: idempotency keys belong to the caller's tenant.
        app.UseMiddleware<IdempotencyMiddleware>();
        return app;
    }

    private static string DefaultCode(int? status) => status switch
    {
        StatusCodes.Status400BadRequest => "request.invalid",
        StatusCodes.Status401Unauthorized => "auth.missing_key",
        StatusCodes.Status403Forbidden => "auth.forbidden",
        StatusCodes.Status404NotFound => "request.not_found",
        StatusCodes.Status405MethodNotAllowed => "request.method_not_allowed",
        StatusCodes.Status409Conflict => "request.conflict",
        StatusCodes.Status413PayloadTooLarge => "request.too_large",
        StatusCodes.Status415UnsupportedMediaType => "request.unsupported_media_type",
        StatusCodes.Status429TooManyRequests => "request.rate_limited",
        StatusCodes.Status503ServiceUnavailable => "service.unavailable",
        >= 500 => "service.error",
        _ => $"http.{status}",
    };
}
