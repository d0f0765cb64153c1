namespace MediaPlatform.Application.Common;

/// <summary>Lets a handler attach work to its transaction's outcome (see <see cref="TransactionCallbacks"/>).</summary>
public interface ITransactionCallbacks
{
    /// <summary>Runs after the unit of work committed.</summary>
    void OnCommitted(Func<CancellationToken, Task> callback);

    /// <summary>Runs when the handler failed or the commit did not happen.</summary>
    void OnFailed(Func<CancellationToken, Task> callback);
}
