using Microsoft.Extensions.Logging;

namespace MediaPlatform.Infrastructure.Reliability;

/// <summary>
/// What a background loop says about failures: one warning when a run of failures starts (the database went away,
/// or something unforeseen), nothing while it lasts, and one line when the loop works again. A loop that retried
/// every second would otherwise write a line per second for the whole outage.
/// </summary>
public sealed partial class OutageLog(ILogger logger, string loop, TimeProvider time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _since;
    private int _failures;

    public bool InOutage
    {
        get
        {
            lock (_gate)
            {
                return _since is not null;
            }
        }
    }

    public void Failed(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        lock (_gate)
        {
            _failures++;
            if (_since is not null)
            {
                return;
            }

            _since = time.GetUtcNow();
        }

        if (IsDatabase(exception))
        {
            LogUnavailable(logger, loop, exception.GetBaseException().Message);
        }
        else
        {
            LogUnexpected(logger, exception, loop);
        }
    }

    public void Succeeded()
    {
        DateTimeOffset since;
        int failures;
        lock (_gate)
        {
            if (_since is not { } started)
            {
                return;
            }

            since = started;
            failures = _failures;
            _since = null;
            _failures = 0;
        }

        LogRecovered(logger, loop, (time.GetUtcNow() - since).TotalSeconds, failures);
    }

    private static bool IsDatabase(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.NpgsqlException or TimeoutException or System.Net.Sockets.SocketException
                or Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException)
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Loop}: the database is unavailable ({Reason}); retrying until it returns")]
    private static partial void LogUnavailable(ILogger logger, string loop, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Loop}: unexpected error; retrying")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string loop);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Loop}: working again after {Seconds:0.0} s ({Failures} failed attempts)")]
    private static partial void LogRecovered(ILogger logger, string loop, double seconds, int failures);
}
