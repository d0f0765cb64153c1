using MediaPlatform.Api.Errors;
using MediaPlatform.Domain.Common;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Api.Idempotency;

/// <summary>
/// Bodies other than uploads are JSON commands of a few hundred bytes: past <see cref="IdempotencyOptions.MaxJsonBodyBytes"/>
/// they are refused with 413 before anything reads them (Kestrel enforces the same limit on chunked bodies).
/// The upload endpoint raises its own limit to the configured upload size. A body whose Content-Type is malformed or
/// names a character set .NET cannot decode is refused here with 415, the one place that decides it, before any
/// endpoint or model binder tries to read it (they would fail with an exception, not an answer).
/// </summary>
internal sealed class RequestLimitsMiddleware(RequestDelegate next, IOptions<IdempotencyOptions> options)
{
    /// <summary>The longest path and query answered (Kestrel's own default request-line limit).</summary>
    public const int MaxTargetBytes = 8 * 1024;

    /// <summary>
    /// Kestrel's request-line limit, set above <see cref="MaxTargetBytes"/> so that a target between the two is refused
    /// here with a problem+json 414 that says what the limit is, not with Kestrel's bodiless one.
    /// </summary>
    public const int KestrelRequestLineBytes = 32 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var targetBytes = string.IsNullOrEmpty(target) ? (request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0) : target.Length;
        if (targetBytes > MaxTargetBytes)
        {
            await ErrorResults.Problem(
                StatusCodes.Status414UriTooLong,
                "The request's URI is too long.",
                "request.uri_too_long",
                $"The path and query are {targetBytes} bytes; at most {MaxTargetBytes} are taken (no parameter of this API needs more: a search's q is at most 500 characters).")
                .ExecuteAsync(context);
            return;
        }

        if (!string.IsNullOrEmpty(request.ContentType) && CheckContentType(request) is { } refused)
        {
            await ErrorResults.Problem(refused).ExecuteAsync(context);
            return;
        }

        var isUpload = request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true;
        if (!isUpload && request.ContentLength > options.Value.MaxJsonBodyBytes)
        {
            await ErrorResults.Problem(Error.TooLarge("request.too_large", $"The request body is larger than {options.Value.MaxJsonBodyBytes} bytes.")).ExecuteAsync(context);
            return;
        }

        if (!isUpload && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.Value.MaxJsonBodyBytes;
        }

        await next(context);
    }

    /// <summary>A refusal for an unreadable Content-Type, or null; a quoted charset that is fine is unquoted in place.</summary>
    private static Error? CheckContentType(HttpRequest request)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.MediaType.Length == 0)
        {
            return Error.UnsupportedMediaType("request.content_type_malformed", $"The Content-Type header '{Printable(request.ContentType)}' cannot be parsed; send for example 'application/json' or 'multipart/form-data; boundary=...'.");
        }

        if (type.Charset.HasValue)
        {
            var charset = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(type.Charset).ToString();
            if (!IsDecodable(charset))
            {
                return Error.UnsupportedMediaType("request.charset_unsupported", $"The character set '{Printable(charset)}' is not supported; send UTF-8.");
            }

            if (charset != type.Charset.Value)
            {
                type.Charset = charset;
                request.ContentType = type.ToString();
            }
        }

        return null;
    }

    private static bool IsDecodable(string charset)
    {
        if (charset.Length == 0 || charset.Equals("utf-7", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            _ = System.Text.Encoding.GetEncoding(charset);
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return false; // unknown names, and UTF-7 under its other names (code page 65000 is not supported)
        }
    }

    private static string Printable(string? text) =>
        new((text ?? string.Empty).Take(100).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
