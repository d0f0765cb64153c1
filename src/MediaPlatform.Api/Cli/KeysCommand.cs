using System.Globalization;
using FluentValidation;
using MediaPlatform.Application;
using MediaPlatform.Application.Tenants.CreateApiKey;
using MediaPlatform.Application.Tenants.CreateTenant;
using MediaPlatform.Application.Tenants.RevokeApiKey;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Infrastructure;
using MediaPlatform.Infrastructure.Persistence.Tooling;
using MediatR;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MediaPlatform.Api.Cli;

/// <summary>
/// <c>MediaPlatform.Api keys create --tenant NAME --scopes read,write [--name NAME] [--expires ISO-8601]</c>,
/// <c>keys list [--tenant NAME]</c>, <c>keys revoke KEY-ID</c>: API keys managed offline, with the same configuration
/// as the service (appsettings.json, then environment variables such as <c>Database__ConnectionString</c>). A new
/// key is printed once, alone on standard output; everything else goes to standard error.
/// </summary>
internal static class KeysCommand
{
    private const string Usage = "usage: keys create --tenant NAME --scopes read,write[,admin] [--name NAME] [--expires 2027-01-01T00:00:00Z] | keys list [--tenant NAME] | keys revoke KEY-ID";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Standard output carries only the new key, so scripts can capture it.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None);
        // The command prints its own account of a refusal; the request pipeline's log of it would add a stack trace.
        builder.Logging.AddFilter("MediaPlatform.Application.Common.Behaviors", LogLevel.None);
        builder.Services.AddApplication().AddInfrastructure(builder.Configuration);
        using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        try
        {
            return args switch
            {
                ["create", .. var rest] => await CreateAsync(services, Options(rest)),
                ["list", .. var rest] => await ListAsync(services, Options(rest)),
                ["revoke", var id] => await RevokeAsync(services, id),
                _ => Fail(Usage, 64),
            };
        }
        catch (OptionsValidationException ex)
        {
            return Fail($"error: the configuration is not valid: {string.Join(" ", ex.Failures)}", 78);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            return Fail($"error: {ex.Message}\n{Usage}", 64);
        }
        catch (ValidationException ex)
        {
            // The command's own rules (an unknown scope, a name too long): the same messages the API gives.
            return Fail($"error: {string.Join(" ", ex.Errors.Select(e => e.ErrorMessage).Distinct())}\n{Usage}", 64);
        }
        catch (Exception ex) when (DatabaseFault(ex) is { } fault)
        {
            return Fail($"error: cannot reach the database ({DatabaseTool.Describe(fault)}). Is PostgreSQL running, and is Database__ConnectionString right? (build/run.sh's cluster: see the README's offline keys section)", 2);
        }
    }

    /// <summary>The database's own exception, whether thrown as is or wrapped by EF Core's retries.</summary>
    private static NpgsqlException? DatabaseFault(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is NpgsqlException npgsql)
            {
                return npgsql;
            }
        }

        return null;
    }

    private static async Task<int> CreateAsync(IServiceProvider services, Dictionary<string, string> options)
    {
        if (!options.TryGetValue("tenant", out var tenantName) || !options.TryGetValue("scopes", out var scopes))
        {
            return Fail(Usage, 64);
        }

        DateTimeOffset? expires = options.TryGetValue("expires", out var text)
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : null;
        // Checked before the tenant is made: a refused key must not leave a new tenant behind.
        var scopeList = scopes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (scopeList.FirstOrDefault(s => !ApiScopes.IsKnown(s)) is { } unknown)
        {
            return Fail($"error: '{unknown}' is not a scope; use {string.Join(", ", ApiScopes.All)}.\n{Usage}", 64);
        }

        var mediator = services.GetRequiredService<IMediator>();
        var tenant = await services.GetRequiredService<ITenantRepository>().FindByNameAsync(tenantName);
        Guid tenantId;
        if (tenant is null)
        {
            var created = await mediator.Send(new CreateTenantCommand(tenantName));
            if (created.IsFailure)
            {
                return Fail($"error: {created.Error!.Message}", 65);
            }

            tenantId = created.Value.Id;
            await Console.Error.WriteLineAsync($"created tenant '{tenantName}' ({tenantId})");
        }
        else
        {
            tenantId = tenant.Id.Value;
        }

        var key = await mediator.Send(new CreateApiKeyCommand(
            tenantId, options.GetValueOrDefault("name", "command line"), scopeList, expires));
        if (key.IsFailure)
        {
            return Fail($"error: {key.Error!.Message}", 65);
        }

        await Console.Error.WriteLineAsync($"key {key.Value.Id} ({key.Value.Prefix}...) for tenant '{tenantName}', scopes {string.Join(",", key.Value.Scopes)}; it is shown once:");
        Console.WriteLine(key.Value.Key);
        return 0;
    }

    private static async Task<int> ListAsync(IServiceProvider services, Dictionary<string, string> options)
    {
        var tenants = services.GetRequiredService<ITenantRepository>();
        var names = new Dictionary<TenantId, string>();
        var keys = await services.GetRequiredService<IApiKeyRepository>().ListAllAsync();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        Console.WriteLine($"{"id",-36}  {"prefix",-12}  {"tenant",-20}  {"scopes",-17}  {"status",-8}  {"last used",-20}  name");
        foreach (var key in keys)
        {
            if (!names.TryGetValue(key.TenantId, out var tenantName))
            {
                tenantName = (await tenants.GetAsync(key.TenantId))?.Name ?? key.TenantId.ToString();
                names[key.TenantId] = tenantName;
            }

            if (options.TryGetValue("tenant", out var only) && only != tenantName)
            {
                continue;
            }

            var status = key.RevokedAt is not null ? "revoked" : key.IsActive(now) ? "active" : "expired";
            Console.WriteLine($"{key.Id,-36}  {key.Prefix,-12}  {tenantName,-20}  {string.Join(",", key.Scopes),-17}  {status,-8}  {key.LastUsedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "never",-20}  {key.Name}");
        }

        return 0;
    }

    private static async Task<int> RevokeAsync(IServiceProvider services, string id)
    {
        if (!Guid.TryParse(id, out var keyId))
        {
            return Fail($"error: '{id}' is not a key id (keys list shows them).", 64);
        }

        var key = await services.GetRequiredService<IApiKeyRepository>().FindAsync(new ApiKeyId(keyId));
        if (key is null)
        {
            return Fail($"error: there is no key {keyId}.", 65);
        }

        var revoked = await services.GetRequiredService<IMediator>().Send(new RevokeApiKeyCommand(key.TenantId.Value, keyId));
        if (revoked.IsFailure)
        {
            return Fail($"error: {revoked.Error!.Message}", 65);
        }

        await Console.Error.WriteLineAsync($"revoked key {keyId} ({key.Prefix}...)");
        return 0;
    }

    /// <summary>--name value pairs.</summary>
    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"unexpected '{args[i]}'");
            }

            options[args[i][2..]] = args[++i];
        }

        return options;
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine(message);
        return code;
    }
}
