namespace MediaPlatform.Domain.Common;

/// <summary>The kind of an expected failure; the API maps each kind to one HTTP status in one place.</summary>
public enum ErrorType
{
    Validation,
    NotFound,
    Conflict,
    Unprocessable,
    TooLarge,
    UnsupportedMediaType,
    InsufficientStorage,
}
