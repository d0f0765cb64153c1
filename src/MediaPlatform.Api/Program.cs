using MediaPlatform.Api;
using MediaPlatform.Api.Cli;
using MediaPlatform.Api.Endpoints;
using MediaPlatform.Api.Health;
using MediaPlatform.Api.OpenApi;
using MediaPlatform.Application;
using MediaPlatform.Infrastructure;

if (args is ["db", .. var dbArgs])
{
    return await DatabaseCommand.RunAsync(dbArgs);
}

var builder = WebApplication.CreateBuilder(args);
builder.Services
    .AddApplication()
    .AddInfrastructure(builder.Configuration)
    .AddApi();

var app = builder.Build();
app.UseApi();
app.MapOpenApiDocument();
app.MapPlatformHealth();
app.MapMediaEndpoints();
app.MapJobEndpoints();
app.MapTranscriptionEndpoints();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in the API tests.</summary>
public partial class Program;
