using MediaPlatform.Api.Errors;
using MediaPlatform.Domain.Common;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Api.Idempotency;

/// <summary>
/// Bodies other than uploads are JSON commands of a few hundred bytes: past <see cref="IdempotencyOptions.MaxJsonBodyBytes"/>
/// they are refused with 413 before anything reads them (Kestrel enforces the same limit on chunked bodies).
/// The upload endpoint raises its own limit to the configured upload size.
/// </summary>
internal sealed class RequestLimitsMiddleware(RequestDelegate next, IOptions<IdempotencyOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
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
}
