using Microsoft.Extensions.Logging;

namespace MediaPlatform.Application.Common;

/// <summary>
/// Work a handler attaches to the outcome of its request's transaction: files to delete once the rows that named
/// them are gone (after commit), or files to delete because the rows that would have named them were never
/// written (after a failure). <see cref="Behaviors.TransactionBehavior{TRequest,TResponse}"/> runs them. A callback
/// that throws is logged and does not change the outcome the client sees (the transaction already decided it).
/// </summary>
public sealed partial class TransactionCallbacks(ILogger<TransactionCallbacks> logger) : ITransactionCallbacks
{
    private readonly List<Func<CancellationToken, Task>> _committed = [];
    private readonly List<Func<CancellationToken, Task>> _failed = [];

    public void OnCommitted(Func<CancellationToken, Task> callback) => _committed.Add(callback);

    public void OnFailed(Func<CancellationToken, Task> callback) => _failed.Add(callback);

    internal Task RunCommittedAsync(CancellationToken cancellationToken) => RunAsync(_committed, "after commit", cancellationToken);

    // Cleanup after a failure must happen even when the request was cancelled.
    internal Task RunFailedAsync() => RunAsync(_failed, "after failure", CancellationToken.None);

    private async Task RunAsync(List<Func<CancellationToken, Task>> callbacks, string when, CancellationToken cancellationToken)
    {
        var toRun = callbacks.ToList();
        _committed.Clear();
        _failed.Clear();
        foreach (var callback in toRun)
        {
            try
            {
                await callback(cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
            {
                LogCallbackFailed(logger, ex, when);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A transaction callback {When} failed; a blob may be left for the sweeper")]
    private static partial void LogCallbackFailed(ILogger logger, Exception exception, string when);
}
