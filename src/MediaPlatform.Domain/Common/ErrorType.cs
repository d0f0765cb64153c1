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

    /// <summary>A tenant's limit (a rate or a quota) is reached; the client may retry later.</summary>
    QuotaExceeded,
}
