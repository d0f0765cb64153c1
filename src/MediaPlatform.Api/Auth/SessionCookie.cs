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
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

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

        http.Response.Cookies.Append(Name, key, Options(http, Lifetime));
    }

    public static void Clear(HttpContext http) => http.Response.Cookies.Delete(Name, Options(http, null));

    private static CookieOptions Options(HttpContext http, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = "/api/v1",
        MaxAge = maxAge,
        IsEssential = true,
    };

    private sealed class Accepted
    {
        public static readonly Accepted Instance = new();
    }
}
