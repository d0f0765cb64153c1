namespace MediaPlatform.Domain.Common;

/// <summary>
/// Another writer changed the aggregate after it was loaded. Thrown by <see cref="IUnitOfWork"/>; the API
/// answers 409 so the client can reload and retry, and no write is silently lost.
/// </summary>
public sealed class ConcurrencyConflictException : Exception
{
    public ConcurrencyConflictException()
        : base("The resource was changed by another request. Reload it and try again.")
    {
    }

    public ConcurrencyConflictException(string message)
        : base(message)
    {
    }

    public ConcurrencyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
