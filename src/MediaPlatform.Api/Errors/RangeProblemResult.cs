using System.Globalization;

namespace MediaPlatform.Api.Errors;

/// <summary>
/// A ranged download (<see cref="Results.Stream"/> with range processing) whose unsatisfiable <c>Range</c> gets a
/// problem+json 416 saying what the file's size is, instead of the framework's empty 416; its
/// <c>Content-Range: bytes */size</c> header stays. Every other answer is the framework's, untouched.
/// </summary>
internal sealed class RangeProblemResult(IResult download) : IResult
{
    public const string Code = "media.range_not_satisfiable";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        await download.ExecuteAsync(httpContext);
        var response = httpContext.Response;
        if (response.StatusCode != StatusCodes.Status416RangeNotSatisfiable || response.HasStarted)
        {
            return;
        }

        var size = response.Headers.ContentRange.ToString() is var range && range.StartsWith("bytes */", StringComparison.Ordinal)
            && long.TryParse(range.AsSpan("bytes */".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                ? length
                : (long?)null;
        var asked = httpContext.Request.Headers.Range.ToString();
        response.ContentLength = null;
        await TypedResults.Problem(
            statusCode: StatusCodes.Status416RangeNotSatisfiable,
            title: "The range is outside the file.",
            detail: size is { } bytes
                ? $"The Range asked for ('{asked}') has no byte inside the file's {bytes.ToString(CultureInfo.InvariantCulture)} bytes: ask for bytes 0-{Math.Max(0, bytes - 1).ToString(CultureInfo.InvariantCulture)}, one range at a time, or send no Range for the whole file."
                : $"The Range asked for ('{asked}') has no byte inside the file: send no Range for the whole file.",
            type: ErrorResults.TypeFor(Code),
            extensions: new Dictionary<string, object?> { ["code"] = Code, ["size"] = size }).ExecuteAsync(httpContext);
    }
}
