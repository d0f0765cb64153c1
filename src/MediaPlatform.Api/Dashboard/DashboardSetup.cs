using MediaPlatform.Api.Auth;
using MediaPlatform.Domain.Tenants;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace MediaPlatform.Api.Dashboard;

/// <summary>
/// The web dashboard (docs/adr/0021): static files embedded in this assembly (<c>wwwroot</c>), served at <c>/</c>
/// without a key (the page itself holds no data; every call it makes carries the user's key), under a strict
/// Content-Security-Policy that allows nothing but this origin.
/// </summary>
internal static class DashboardSetup
{
    /// <summary>Scripts, styles, media, images and connections from this origin only; no inline code, no framing.</summary>
    internal const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self'; script-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; " +
        // No HTML sink may take a string (the page builds its DOM from nodes): an injected string cannot become markup.
        "require-trusted-types-for 'script'; trusted-types 'none'";

    public static WebApplication UseDashboard(this WebApplication app)
    {
        var files = new ManifestEmbeddedFileProvider(typeof(DashboardSetup).Assembly, "wwwroot");
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".js"] = "text/javascript; charset=utf-8";
        types.Mappings[".css"] = "text/css; charset=utf-8";
        types.Mappings[".html"] = "text/html; charset=utf-8";
        types.Mappings[".svg"] = "image/svg+xml";
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = types,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                // Revalidated on every load (ETag), so a new version of the service is never mixed with cached modules.
                headers.CacheControl = "no-cache";
            },
        });
        return app;
    }

    /// <summary>
    /// <c>POST /api/v1/session</c> puts the caller's key in an <c>HttpOnly</c>, <c>SameSite=Strict</c> cookie that
    /// only <c>GET</c>s of media bytes and transcript exports accept (<see cref="SessionCookie"/>): what a native
    /// <c>&lt;audio&gt;</c> element or a download link cannot do with a header. <c>DELETE</c> removes it.
    /// </summary>
    public static IEndpointRouteBuilder MapDashboardSession(this IEndpointRouteBuilder app)
    {
        var session = app.MapGroup("/api/v1/session").WithTags("Session");
        session.MapPost("/", (HttpContext http) =>
            {
                SessionCookie.Issue(http);
                return Results.NoContent();
            })
            .RequireScope(ApiScopes.Read)
            .WithName("CreateSession")
            .WithSummary("Lets the browser's media player and download links use the caller's key")
            .WithDescription("Sets an HttpOnly, SameSite=Strict session cookie (path /api/v1; Secure over HTTPS) holding the key of this request. It is accepted only by GET /api/v1/media/{id}/content and GET /api/v1/jobs/{id}/export, where a browser cannot send a header; every other request still needs the Authorization header.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        session.MapDelete("/", (HttpContext http) =>
            {
                SessionCookie.Clear(http);
                return Results.NoContent();
            })
            .RequireScope(ApiScopes.Read)
            .WithName("DeleteSession")
            .WithSummary("Removes the session cookie")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }
}
