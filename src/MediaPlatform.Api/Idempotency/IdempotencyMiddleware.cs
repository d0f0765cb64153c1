using System.Security.Cryptography;
using System.Text;
using MediaPlatform.Api.Errors;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MediaPlatform.Api.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on POST: the first request with a key runs and, when it succeeds (2xx), its response is
/// stored with a fingerprint of the request. A replay with the same fingerprint gets the stored response (marked
/// <c>Idempotent-Replayed: true</c>); the same key with another request is a 409; a key whose first request is
/// still running is a 409 with Retry-After. Failed requests release their key so the client may retry.
/// The fingerprint is method, path, query and a SHA-256 of the body; for multipart uploads, of the file's name,
/// type and content, because clients choose a new boundary each time they send the same file.
/// </summary>
internal sealed class IdempotencyMiddleware(
    RequestDelegate next, IIdempotencyStore store, IOptions<IdempotencyOptions> options, MediaLimits limits, TimeProvider time)
{
    public const string HeaderName = "Idempotency-Key";
    private const int MaxKeyLength = 255;
    private const string BodyFingerprintItem = "idempotency.body-fingerprint";

    /// <summary>Lets an endpoint that reads its own body (the upload) say what its body was.</summary>
    public static void SetBodyFingerprint(HttpContext context, string fingerprint) => context.Items[BodyFingerprintItem] = fingerprint;

    public async Task InvokeAsync(HttpContext context)
    {
        // Keys belong to the caller's tenant; a request that reaches here without one has no key to honour.
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Headers.TryGetValue(HeaderName, out var values)
            || context.RequestServices.GetRequiredService<ICurrentTenant>().TenantId is not { } tenant)
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        if (key.Length is 0 or > MaxKeyLength || key.Any(char.IsControl))
        {
            await WriteAsync(context, Error.Validation("idempotency.key_invalid", $"The Idempotency-Key header must be 1 to {MaxKeyLength} printable characters."));
            return;
        }

        var multipart = IsMultipart(context.Request, out var boundary);
        var now = time.GetUtcNow();
        var claim = await store.ClaimAsync(tenant, key, now, now.AddHours(options.Value.RetentionHours), context.RequestAborted);
        if (!claim.Claimed && claim.Response is null)
        {
            // Still running: say so at once, without reading (let alone hashing) a body that may be gigabytes.
            context.Response.Headers.RetryAfter = "1";
            await WriteAsync(context, Error.Conflict("idempotency.in_progress", "A request with this Idempotency-Key is still being processed; retry shortly."));
            return;
        }

        string? bodyFingerprint = null;
        if (!multipart)
        {
            try
            {
                bodyFingerprint = await HashBufferedBodyAsync(context);
            }
            catch when (claim.Claimed)
            {
                await ReleaseQuietlyAsync(tenant, key, claim.Owner); // the client went away while sending the body
                throw;
            }

            if (bodyFingerprint is null)
            {
                if (claim.Claimed)
                {
                    await ReleaseQuietlyAsync(tenant, key, claim.Owner);
                }

                await WriteAsync(context, Error.TooLarge("request.too_large", $"The JSON body is larger than {options.Value.MaxJsonBodyBytes} bytes."));
                return;
            }
        }

        if (!claim.Claimed)
        {
            if (multipart && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
            {
                // A replayed upload is as large as the first one was allowed to be.
                sizeLimit.MaxRequestBodySize = limits.MaxUploadBytes + Endpoints.MediaEndpoints.MultipartOverheadBytes;
            }

            await AnswerFromEarlierRequestAsync(context, claim, bodyFingerprint ?? await HashMultipartAsync(context, boundary!));
            return;
        }

        await RunAndRememberAsync(context, tenant, key, claim.Owner, bodyFingerprint);
    }

    private async Task RunAndRememberAsync(HttpContext context, TenantId tenant, string key, Guid owner, string? bodyFingerprint)
    {
        var original = context.Response.Body;
        await using var captured = new MemoryStream();
        context.Response.Body = captured;
        var completed = false;
        var ran = false;
        using var running = new CancellationTokenSource();
        var renewal = RenewWhileRunningAsync(tenant, key, owner, running.Token);
        try
        {
            await next(context);
            ran = true;
            bodyFingerprint ??= context.Items[BodyFingerprintItem] as string;
            if (context.Response.StatusCode is >= 200 and < 300 && bodyFingerprint is not null)
            {
                var response = new StoredResponse(
                    context.Response.StatusCode,
                    context.Response.ContentType,
                    context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                    captured.ToArray());
                // The client must not be told "created" unless a retry would be told the same.
                completed = await store.CompleteAsync(tenant, key, owner, Fingerprint(context.Request, bodyFingerprint), response, CancellationToken.None);
            }
        }
        finally
        {
            await running.CancelAsync();
            await renewal;
            context.Response.Body = original;
            if (!completed)
            {
                await ReleaseQuietlyAsync(tenant, key, owner);
            }

            // After an exception the exception handler writes the response; a half-written body is dropped.
            if (ran)
            {
                captured.Position = 0;
                await captured.CopyToAsync(original, CancellationToken.None);
            }
        }
    }

    /// <summary>A failed release (the database is down) leaves the claim to expire as abandoned; it must not turn the answer into a 500.</summary>
    private async Task ReleaseQuietlyAsync(TenantId tenant, string key, Guid owner)
    {
        try
        {
            await store.ReleaseAsync(tenant, key, owner, CancellationToken.None);
        }
        catch (Exception)
        {
            // Abandoned after IdempotencyClaim.RenewInterval without renewal; the client may retry then.
        }
    }

    /// <summary>Renews the claim every 30 s while the request runs, so a slow upload is never taken for abandoned.</summary>
    private async Task RenewWhileRunningAsync(TenantId tenant, string key, Guid owner, CancellationToken running)
    {
        while (!running.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(IdempotencyClaim.RenewInterval, time, running);
                await store.RenewAsync(tenant, key, owner, time.GetUtcNow(), running);
            }
            catch (OperationCanceledException) when (running.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // A missed renewal is retried at the next interval; the claim outlives a few of them.
            }
        }
    }

    private static async Task AnswerFromEarlierRequestAsync(HttpContext context, IdempotencyClaim claim, string bodyFingerprint)
    {
        if (claim.Response is null)
        {
            context.Response.Headers.RetryAfter = "1";
            await WriteAsync(context, Error.Conflict("idempotency.in_progress", "A request with this Idempotency-Key is still being processed; retry shortly."));
            return;
        }

        if (claim.Fingerprint != Fingerprint(context.Request, bodyFingerprint))
        {
            await WriteAsync(context, Error.Conflict(
                "idempotency.key_reused",
                "This Idempotency-Key was already used with a different request. Use a new key for a new request."));
            return;
        }

        var stored = claim.Response;
        context.Response.StatusCode = stored.StatusCode;
        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (stored.ContentType is not null)
        {
            context.Response.ContentType = stored.ContentType;
        }

        if (stored.Location is not null)
        {
            context.Response.Headers.Location = stored.Location;
        }

        await context.Response.Body.WriteAsync(stored.Body, context.RequestAborted);
    }

    /// <summary>Buffers a (small) body so the endpoint can still read it; null when it is over the JSON limit.</summary>
    private async Task<string?> HashBufferedBodyAsync(HttpContext context)
    {
        var limit = options.Value.MaxJsonBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        context.Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: limit);
        try
        {
            var hash = await SHA256.HashDataAsync(context.Request.Body, context.RequestAborted);
            context.Request.Body.Position = 0;
            return "body:" + Convert.ToHexStringLower(hash);
        }
        catch (IOException)
        {
            return null; // the buffer limit was exceeded
        }
    }

    /// <summary>The fingerprint the upload endpoint records, computed from the multipart body without storing anything.</summary>
    private static async Task<string> HashMultipartAsync(HttpContext context, string boundary)
    {
        var reader = new MultipartReader(boundary, context.Request.Body);
        for (var section = await Endpoints.MediaEndpoints.NextSectionAsync(reader, context.RequestAborted); section is not null; section = await Endpoints.MediaEndpoints.NextSectionAsync(reader, context.RequestAborted))
        {
            if (section.GetContentDispositionHeader() is { } disposition && disposition.IsFileDisposition())
            {
                var name = Domain.Media.MediaAsset.SanitizeFileName(disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : disposition.FileName.Value);
                var type = Application.Media.MediaContentTypes.Normalize(section.ContentType);
                var hash = await SHA256.HashDataAsync(section.Body, context.RequestAborted);
                return $"file:{name}:{type}:{Convert.ToHexStringLower(hash)}";
            }
        }

        return "file:none";
    }

    private static string Fingerprint(HttpRequest request, string bodyFingerprint)
    {
        var text = $"{request.Method} {request.Path}{request.QueryString} {bodyFingerprint}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static bool IsMultipart(HttpRequest request, out string? boundary)
    {
        boundary = null;
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            boundary = HeaderUtilities.RemoveQuotes(type.Boundary).ToString();
            return boundary.Length > 0;
        }

        return false;
    }

    private static Task WriteAsync(HttpContext context, Error error) => ErrorResults.Problem(error).ExecuteAsync(context);
}
