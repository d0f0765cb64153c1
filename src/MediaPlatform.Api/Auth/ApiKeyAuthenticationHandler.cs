using System.Security.Claims;
using System.Text.Encodings.Web;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Tenants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Api.Auth;

/// <summary>
/// <c>Authorization: Bearer mp_live_...</c>: the key's tenant becomes the request's <see cref="ICurrentTenant"/>,
/// its scopes become claims. No header -> anonymous (the authorization policy then answers 401); a malformed,
/// unknown, revoked or expired key -> 401 problem+json with <c>WWW-Authenticate: Bearer</c>; a key without the
/// endpoint's scope -> 403 naming the scope.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IApiKeyAuthenticator keys,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string ScopeClaim = "scope";
    public const string TenantClaim = "tenant";
    private const string FailureItem = "auth.failure";
    private const int MaxHeaderLength = 4096;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers.Authorization;
        // Open endpoints (health, the OpenAPI document) never look at keys, so they answer even when the key store cannot.
        if (Context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return AuthenticateResult.NoResult();
        }

        if (headers.Count == 0)
        {
            // The dashboard's media player and download links: the key from its HttpOnly cookie, on the reads that take it.
            return SessionCookie.KeyFor(Context) is { } cookieKey ? await AuthenticateKeyAsync(cookieKey) : AuthenticateResult.NoResult();
        }

        if (headers.Count > 1)
        {
            return Fail("Send exactly one Authorization header.");
        }

        var value = headers[0] ?? string.Empty;
        if (value.Length > MaxHeaderLength)
        {
            return Fail("The Authorization header is too long to hold an API key.");
        }

        if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Fail("The Authorization header must be 'Bearer <key>'.");
        }

        return await AuthenticateKeyAsync(value["Bearer ".Length..].Trim());
    }

    private async Task<AuthenticateResult> AuthenticateKeyAsync(string token)
    {
        if (!ApiKeySecret.IsWellFormed(token))
        {
            return Fail($"The key is malformed: an API key is '{ApiKeySecret.Prefix}' followed by {ApiKeySecret.RandomLength} letters or digits.");
        }

        var key = await keys.AuthenticateAsync(token, Context.RequestAborted);
        if (key is null)
        {
            return Fail("The key is unknown, revoked or expired.");
        }

        Context.RequestServices.GetRequiredService<TenantContext>().Set(key.TenantId, key.Limits, key.KeyId, key.Scopes);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, key.KeyId.Value.ToString()),
            new(ClaimTypes.Name, key.KeyName),
            new(TenantClaim, key.TenantId.Value.ToString()),
        };
        claims.AddRange(key.Scopes.Select(s => new Claim(ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = Context.Items[FailureItem] as string;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failure is null
            ? "Bearer realm=\"mediaplatform\""
            : $"Bearer realm=\"mediaplatform\", error=\"invalid_token\", error_description=\"{failure.Replace("\"", "'", StringComparison.Ordinal)}\"";
        if (IsOpenAiPath)
        {
            // Clients of the OpenAI-compatible endpoints (OpenAI's SDKs) read OpenAI's error shape, not problem+json.
            await OpenAiErrorAsync(
                failure ?? "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' (an API key of this service).",
                failure is null ? null : "invalid_api_key");
            return;
        }

        await WriteAsync(new ProblemDetails
        {
            Status = StatusCodes.Status401Unauthorized,
            Title = "An API key is required.",
            Detail = failure ?? "Send an API key as 'Authorization: Bearer <key>'. The bootstrap admin key is in <data folder>/admin.key.",
            Type = "https://mediaplatform.dev/problems/auth-unauthenticated",
            Extensions = { ["code"] = failure is null ? "auth.missing_key" : "auth.invalid_key" },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var needed = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy).FirstOrDefault(p => p is not null && ApiScopes.IsKnown(p));
        Response.StatusCode = StatusCodes.Status403Forbidden;
        if (IsOpenAiPath)
        {
            await OpenAiErrorAsync($"This request needs a key with the '{needed ?? "required"}' scope.", "insufficient_permissions");
            return;
        }

        await WriteAsync(new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "The key lacks a scope this request needs.",
            Detail = needed is null
                ? "This key is not allowed to make this request."
                : $"This request needs a key with the '{needed}' scope; this key has: {string.Join(", ", Context.User.FindAll(ScopeClaim).Select(c => c.Value))}.",
            Type = "https://mediaplatform.dev/problems/auth-scope-missing",
            Extensions = { ["code"] = "auth.scope_missing" },
        });
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }

    /// <summary>The OpenAI-compatible endpoints (<c>/v1/...</c>), whose errors take OpenAI's shape.</summary>
    private bool IsOpenAiPath => Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase);

    /// <summary>OpenAI's error shape: <c>{ error: { message, type, param, code } }</c>, with the status already set.</summary>
    private Task OpenAiErrorAsync(string message, string? code) =>
        Response.WriteAsJsonAsync(new { error = new { message, type = "invalid_request_error", param = (string?)null, code } });

    private async Task WriteAsync(ProblemDetails problem) =>
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = problem });
}
