namespace MediaPlatform.Domain.Common;

/// <summary>
/// The store refused a write because it would take a tenant past one of its limits, counted atomically with the
/// write itself (so concurrent requests cannot overshoot it). Thrown by <see cref="IUnitOfWork"/>; a command's
/// transaction turns it into the failed result <see cref="Error"/>, as if the handler had returned it.
/// </summary>
public sealed class LimitExceededException : Exception
{
    public LimitExceededException()
        : this(Error.QuotaExceeded("tenant.limit", "A limit of the tenant is reached."))
    {
    }

    public LimitExceededException(string message)
        : this(Error.QuotaExceeded("tenant.limit", message))
    {
    }

    public LimitExceededException(string message, Exception innerException)
        : base(message, innerException) => Error = Error.QuotaExceeded("tenant.limit", message);

    public LimitExceededException(Error error, Exception? innerException = null)
        : base((error ?? throw new ArgumentNullException(nameof(error))).Message, innerException) => Error = error;

    public Error Error { get; }
}
