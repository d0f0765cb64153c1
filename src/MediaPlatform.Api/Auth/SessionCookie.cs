using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Api.Auth;

/// <summary>
/// The browser session of the dashboard: the API key in an <c>HttpOnly</c>, <c>SameSite=Strict</c> cookie, honoured
/// only for reads a browser makes without script (a media element's range requests, a download link) on endpoints
/// marked with <see cref="AcceptSessionCookie{TBuilder}"/>. Never for writes: a cookie is sent by the browser on its
/// own, so it must not be able to change anything (and SameSite=Strict keeps it off other sites' requests).
/// </summary>
internal static class SessionCookie
{
    public const string Name = "mp_session";

    /// <summary>Marks a GET endpoint as one that accepts the session cookie when no Authorization header is sent.</summary>
    public static TBuilder AcceptSessionCookie<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(Accepted.Instance);

    /// <summary>The key a cookie carries, for an endpoint that accepts it and a method that reads; otherwise null.</summary>
    public static string? KeyFor(HttpContext http) =>
        (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        && http.GetEndpoint()?.Metadata.GetMetadata<Accepted>() is not null
        && http.Request.Cookies.TryGetValue(Name, out var key)
            ? key
            : null;

    /// <summary>Sets the cookie to the key of this (authenticated) request.</summary>
    public static void Issue(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : string.Empty;
        if (!ApiKeySecret.IsWellFormed(key))
        {
            // Authenticated some other way (the cookie itself): nothing new to store.
            return;
        }

        http.Response.Cookies.Append(Name, key, Options(http));
    }

    public static void Clear(HttpContext http) => http.Response.Cookies.Delete(Name, Options(http));

    /// <summary>
    /// A session cookie (no expiry: the browser keeps it in memory and drops it when it closes, never on disk),
    /// <c>Secure</c> whenever the browser reached the service over HTTPS, directly or through a TLS-terminating proxy
    /// that says so (<c>X-Forwarded-Proto: https</c>; a client claiming it falsely only stops its own cookie from
    /// travelling over plain HTTP).
    /// </summary>
    private static CookieOptions Options(HttpContext http) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps
            || string.Equals(http.Request.Headers["X-Forwarded-Proto"].ToString(), "https", StringComparison.OrdinalIgnoreCase),
        Path = "/api/v1",
        IsEssential = true,
    };

    private sealed class Accepted
    {
        public static readonly Accepted Instance = new();
    }
}
