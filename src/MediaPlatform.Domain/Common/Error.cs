namespace MediaPlatform.Domain.Common;

/// <summary>An expected failure, returned as a value: a stable machine code and a message a person can act on.</summary>
public sealed record Error(string Code, string Message, ErrorType Type)
{
    /// <summary>The request field the failure is about (as the API names it: <c>language</c>), when it is one field's.</summary>
    public string? Field { get; init; }

    public static Error Validation(string code, string message) => new(code, message, ErrorType.Validation);

    /// <summary>A validation failure of one field: a 400's <c>errors</c> name that field, as FluentValidation's do.</summary>
    public static Error Validation(string code, string message, string field) => new(code, message, ErrorType.Validation) { Field = field };

    public static Error NotFound(string code, string message) => new(code, message, ErrorType.NotFound);

    public static Error Conflict(string code, string message) => new(code, message, ErrorType.Conflict);

    public static Error Unprocessable(string code, string message) => new(code, message, ErrorType.Unprocessable);

    public static Error TooLarge(string code, string message) => new(code, message, ErrorType.TooLarge);

    public static Error UnsupportedMediaType(string code, string message) => new(code, message, ErrorType.UnsupportedMediaType);

    public static Error InsufficientStorage(string code, string message) => new(code, message, ErrorType.InsufficientStorage);

    public static Error QuotaExceeded(string code, string message) => new(code, message, ErrorType.QuotaExceeded);

    public static Error PreconditionFailed(string code, string message) => new(code, message, ErrorType.PreconditionFailed);

    public static Error PreconditionRequired(string code, string message) => new(code, message, ErrorType.PreconditionRequired);
}
