using MediaPlatform.Application.Common.Telemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MediaPlatform.Api.Telemetry;

/// <summary>
/// OpenTelemetry for every role: metrics always (the platform's own instruments, ASP.NET Core's HTTP server duration,
/// the HTTP client's, Npgsql's connection pool, the runtime's), served as Prometheus text at <c>GET /metrics</c>;
/// traces (HTTP -> MediatR -> Npgsql -> the worker's job, steps and engine runs) when something receives them
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, or <c>Telemetry:Tracing</c> true); logs carry the trace and span ids in
/// their scope, and go to OTLP too when the endpoint is set.
/// </summary>
internal static class TelemetrySetup
{
    /// <summary>The .NET runtime's ActivitySource and Meter names for Npgsql (no extra package needed).</summary>
    private const string Npgsql = "Npgsql";

    public static IServiceCollection AddPlatformTelemetry(this IServiceCollection services, IConfiguration configuration, ILoggingBuilder logging)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var tracing = otlp || configuration.GetValue<bool>("Telemetry:Tracing");
        logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? "mediaplatform", serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithMetrics(metrics =>
            {
                // Each metric stream keeps an array of as many points as its cardinality limit from the start: at
                // OpenTelemetry's default (2,000) the service's 60-odd streams held 9 MiB of its 18 MiB idle heap.
                // The HTTP durations keep that limit (routes x methods x status codes, a webhook receiver's host);
                // the rest have a handful of tag values each.
                metrics.AddView(instrument => KeepsDefaultCardinality(instrument.Name) ? null : new MetricStreamConfiguration { CardinalityLimit = SmallCardinality });
                metrics.AddMeter(PlatformTelemetry.Name, Npgsql)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (tracing)
        {
            telemetry.WithTracing(traces =>
            {
                traces.AddSource(PlatformTelemetry.Name, Npgsql)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsPlumbing(context.Request.Path))
                    .AddHttpClientInstrumentation();
                if (otlp)
                {
                    traces.AddOtlpExporter();
                }
            });
        }

        if (otlp)
        {
            logging.AddOpenTelemetry(o =>
            {
                o.IncludeScopes = true;
                o.AddOtlpExporter();
            });
        }

        return services;
    }

    /// <summary><c>GET /metrics</c>, open like <c>/health</c> (it carries no tenant data): bind it to an internal network.</summary>
    public static WebApplication MapPlatformMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>Tag combinations a stream other than the HTTP durations keeps apart; more are counted together as overflow.</summary>
    internal const int SmallCardinality = 200;

    private static bool KeepsDefaultCardinality(string instrument) =>
        instrument.StartsWith("http.server.", StringComparison.Ordinal) || instrument.StartsWith("http.client.", StringComparison.Ordinal);

    private static bool IsPlumbing(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);
}
