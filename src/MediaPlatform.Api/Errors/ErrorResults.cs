using MediaPlatform.Domain.Common;

namespace MediaPlatform.Api.Errors;

/// <summary>The one place that maps an expected failure to an HTTP status and a problem+json body.</summary>
internal static class ErrorResults
{
    public static int StatusFor(ErrorType type) => type switch
    {
        ErrorType.Validation => StatusCodes.Status400BadRequest,
        ErrorType.NotFound => StatusCodes.Status404NotFound,
        ErrorType.Conflict => StatusCodes.Status409Conflict,
        ErrorType.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        ErrorType.TooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorType.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorType.InsufficientStorage => StatusCodes.Status507InsufficientStorage,
        ErrorType.QuotaExceeded => StatusCodes.Status429TooManyRequests,
        ErrorType.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        ErrorType.PreconditionRequired => StatusCodes.Status428PreconditionRequired,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static IResult Problem(Error error)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code }; // code first in the body; the overload sets it again in place
        if (error.Field is { } field && error.Type == ErrorType.Validation)
        {
            // Keyed by the field, as the validators' 400s are (BadRequestFormat keys the others by their code).
            extensions["errors"] = new Dictionary<string, string[]> { [field] = [error.Message] };
        }

        return Problem(StatusFor(error.Type), TitleFor(error.Type), error.Code, error.Message, extensions);
    }

    /// <summary>A problem with a <paramref name="code"/> of its own and the <c>type</c> named after it (refusals that are the transport's, not a use case's).</summary>
    public static IResult Problem(int statusCode, string title, string code, string detail, Dictionary<string, object?>? extensions = null)
    {
        extensions ??= [];
        extensions["code"] = code;
        return TypedResults.Problem(statusCode: statusCode, title: title, detail: detail, type: TypeFor(code), extensions: extensions);
    }

    /// <summary>The problem <c>type</c> of a code: one page per code (<c>media.not_found</c> is <c>.../problems/media-not_found</c>).</summary>
    public static string TypeFor(string code) => $"https://mediaplatform.dev/problems/{code.Replace('.', '-')}";

    /// <summary>200 with the value, or the problem of the failure.</summary>
    public static IResult Ok<T>(Result<T> result) => result.IsSuccess ? TypedResults.Ok(result.Value) : Problem(result.Error!);

    private static string TitleFor(ErrorType type) => type switch
    {
        ErrorType.Validation => "The request is not valid.",
        ErrorType.NotFound => "The resource was not found.",
        ErrorType.Conflict => "The request conflicts with the resource's current state.",
        ErrorType.Unprocessable => "The resource cannot be processed.",
        ErrorType.TooLarge => "The request body is too large.",
        ErrorType.UnsupportedMediaType => "The media type is not supported.",
        ErrorType.InsufficientStorage => "There is no room to store the media.",
        ErrorType.QuotaExceeded => "A limit of the tenant is reached.",
        ErrorType.PreconditionFailed => "The resource has changed since it was read.",
        ErrorType.PreconditionRequired => "The change needs an If-Match header.",
        _ => "An error occurred.",
    };
}
