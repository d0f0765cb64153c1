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

    /// <summary>A condition of the request (If-Match) does not hold for the resource as it is now.</summary>
    PreconditionFailed,

    /// <summary>A change that needs a condition (If-Match) came without one.</summary>
    PreconditionRequired,
}
