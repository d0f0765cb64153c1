using MediaPlatform.Api;
using MediaPlatform.Api.Auth;
using MediaPlatform.Api.Cli;
using MediaPlatform.Api.Dashboard;
using MediaPlatform.Api.Endpoints;
using MediaPlatform.Api.Errors;
using MediaPlatform.Api.Health;
using MediaPlatform.Api.OpenApi;
using MediaPlatform.Api.Telemetry;
using MediaPlatform.Application;
using MediaPlatform.Infrastructure;

if (args is ["db", .. var dbArgs])
{
    return await DatabaseCommand.RunAsync(dbArgs);
}

if (args is ["keys", .. var keyArgs])
{
    return await KeysCommand.RunAsync(keyArgs);
}

// appsettings.json sits next to the binary; a process started from elsewhere (build/run.sh runs it from the clone)
// must still read it, or the safe defaults it holds (AllowedHosts, log levels) would silently not apply.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json")) ? null : AppContext.BaseDirectory,
});

// Never answer any Host header by default (DNS rebinding): loopback names unless AllowedHosts says otherwise.
if (string.IsNullOrWhiteSpace(builder.Configuration["AllowedHosts"]))
{
    builder.Configuration["AllowedHosts"] = "localhost;127.0.0.1;[::1]";
}

if (ServiceRole.Parse(builder.Configuration["Role"]) is not { } role)
{
    await Console.Error.WriteLineAsync($"error: --role must be all, api or worker, not '{builder.Configuration["Role"]}'.");
    return 64;
}

builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration)
    .AddApi()
    .AddPlatformTelemetry(builder.Configuration, builder.Logging);
if (role.RunsWorkers)
{
    builder.Services.AddWorkers();
}

var app = builder.Build();
// First, before the dashboard's files and every endpoint: a Host header the service does not answer (DNS rebinding).
app.UseMiddleware<AllowedHostsMiddleware>();
if (role.ServesApi)
{
    app.UseDashboard();
}

app.UseApi();
app.MapPlatformHealth();
app.MapPlatformMetrics();
if (role.ServesApi)
{
    app.MapOpenApiDocument();
    app.MapMediaEndpoints();
    app.MapJobEndpoints();
    app.MapJobEventEndpoints();
    app.MapTranscriptionEndpoints();
    app.MapTenantEndpoints();
    app.MapWebhookEndpoints();
    app.MapVocabularyEndpoints();
    app.MapOpenAiEndpoints();
    app.MapDashboardSession();
    await app.BootstrapKeysAsync();
}

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the API tests.</summary>
public partial class Program;
