using MediaPlatform.Infrastructure;
using MediaPlatform.Infrastructure.Persistence.Tooling;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Api.Cli;

/// <summary>
/// <c>MediaPlatform.Api db backup|migrate|verify|rollback &lt;migration|0|--drop&gt;</c>: the database tool, run by the same
/// binary with the same configuration sources as the service (appsettings.json, then environment variables such as
/// <c>Database__ConnectionString</c>).
/// </summary>
internal static class DatabaseCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The tool prints its own account of failures; EF's connection errors would only repeat them.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None);
        builder.Services.AddInfrastructure(builder.Configuration);
        using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();
        try
        {
            var tool = scope.ServiceProvider.GetRequiredService<DatabaseTool>();
            return await tool.RunAsync(args, Console.Out);
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"error: the configuration is not valid: {string.Join(" ", ex.Failures)}");
            return 78;
        }
    }
}
