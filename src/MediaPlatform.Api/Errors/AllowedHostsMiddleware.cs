using MediaPlatform.Domain.Common;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Primitives;

namespace MediaPlatform.Api.Errors;

/// <summary>
/// Answers only the host names of the <c>AllowedHosts</c> setting (no DNS rebinding), as ASP.NET Core's host filtering
/// does, but refuses the others with a problem+json 400 that names the setting, where the framework's answers with an
/// HTML page: an operator who put the service behind a new name sees what to change. The framework's filter is set to
/// let every host through (<see cref="AddAllowedHosts"/>), so this is the one check. Port numbers do not matter; an
/// empty Host header (HTTP/1.0) passes, as it does there.
/// </summary>
internal sealed class AllowedHostsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly StringSegment[] _allowed;
    private readonly bool _anyHost;

    public AllowedHostsMiddleware(RequestDelegate next, IConfiguration configuration)
    {
        _next = next;
        _allowed = [.. (configuration["AllowedHosts"] ?? string.Empty)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(h => new StringSegment(h))];
        _anyHost = _allowed.Length == 0 || Array.Exists(_allowed, h => h.Equals("*", StringComparison.Ordinal));
    }

    public Task InvokeAsync(HttpContext context)
    {
        var host = context.Request.Headers.Host.ToString();
        if (host.Length == 0 || _anyHost || Allows(host))
        {
            return _next(context);
        }

        return ErrorResults.Problem(Error.Validation(
                "request.host_not_allowed",
                $"This service answers only the host names in its AllowedHosts setting, and '{host}' is not one of them. If clients reach it by that name, its operator adds it there (for example AllowedHosts=localhost;{new HostString(host).Host})."))
            .ExecuteAsync(context);
    }

    /// <summary>Whether <paramref name="host"/> is one of the allowed names; a port that is not a number is not allowed.</summary>
    private bool Allows(string host)
    {
        try
        {
            return HostString.MatchesAny(new StringSegment(host), _allowed);
        }
        catch (FormatException)
        {
            // MatchesAny throws on 'name:abc': the caller's malformed header, refused like any other host.
            return false;
        }
    }

    /// <summary>Lets the framework's host filter pass every host: <see cref="AllowedHostsMiddleware"/> decides instead.</summary>
    public static IServiceCollection AddAllowedHosts(IServiceCollection services) =>
        services.Configure<HostFilteringOptions>(o => o.AllowedHosts = ["*"]);
}
