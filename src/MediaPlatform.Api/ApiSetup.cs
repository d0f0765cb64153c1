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
        services.AddPlatformAuth();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Instance ??= context.HttpContext.Request.Path;
            problem.Type ??= $"https://httpstatuses.io/{problem.Status}";
            problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            Errors.BadRequestFormat.Apply(problem);
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
}
