using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace MediaPlatform.Api.Auth;

/// <summary>
/// Identity and the hardening around it: bearer API keys, one authorization policy per scope (every endpoint needs
/// an authenticated key unless it says otherwise), per-tenant rate limits, and CORS only for configured origins.
/// </summary>
internal static class AuthSetup
{
    public const string CorsPolicy = "configured-origins";

    public static IServiceCollection AddPlatformAuth(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build())
            .AddPolicy(ApiScopes.Read, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScopes.Read))
            .AddPolicy(ApiScopes.Write, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScopes.Write))
            .AddPolicy(ApiScopes.Admin, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScopes.Admin))
            .AddPolicy(ApiScopes.Pii, p => p.RequireAuthenticatedUser().RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScopes.Pii));

        services.AddSingleton<TenantRateLimiter>();
        services.AddSingleton<IRequestRateMeter>(sp => sp.GetRequiredService<TenantRateLimiter>());

        // No cross-origin access unless origins are configured (Cors:AllowedOrigins); read when the policy is first
        // needed, so every configuration source is in.
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IConfiguration>((o, config) =>
            o.AddPolicy(CorsPolicy, p => p
                .WithOrigins(config.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [])
                .WithHeaders("Authorization", "Content-Type", "Idempotency-Key", "If-Match", "If-None-Match")
                .WithMethods("GET", "POST", "PATCH", "DELETE")
                .WithExposedHeaders("Location", "Retry-After", "Idempotent-Replayed", "ETag", "Content-Disposition")));

        return services;
    }

    public static WebApplication UsePlatformAuth(this WebApplication app)
    {
        app.UseCors(CorsPolicy);

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<TenantRateLimitMiddleware>();
        return app;
    }

    /// <summary>The endpoint needs a key with <paramref name="scope"/>.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(scope);

    /// <summary>
    /// Creates the bootstrap admin key when the database holds none, before the service answers its first request.
    /// A database that is not reachable yet does not stop the service: it keeps trying in the background (one log
    /// line per failure, every 5 s). A configured key that is not a key stops it. Only processes that serve the API do it.
    /// </summary>
    public static async Task BootstrapKeysAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MediaPlatform.Auth");
        if (await TryBootstrapAsync(app, logger))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            var stopping = app.Lifetime.ApplicationStopping;
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (!stopping.IsCancellationRequested && await TryBootstrapAsync(app, logger))
                {
                    return;
                }
            }
        });
    }

    private static async Task<bool> TryBootstrapAsync(WebApplication app, ILogger logger)
    {
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ApiKeyBootstrapper>().EnsureAdminKeyAsync(app.Lifetime.ApplicationStopping);
            return true;
        }
        catch (Exception ex) when (ex is not BootstrapKeyInvalidException)
        {
            logger.LogWarning("Could not check for API keys yet ({Reason}); retrying in the background", ex.GetBaseException().Message);
            return false;
        }
    }
}
