namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// In-process fan-out of <see cref="JobEvent"/>s received by <see cref="JobEventListener"/>: workers wait here for
/// new work, running jobs watch for their own cancellation, and event streams follow a job.
/// </summary>
public sealed class JobEventHub
{
    private readonly Lock _gate = new();
    private readonly List<(Guid? JobId, Action<JobEvent> Handler)> _subscribers = [];
    private readonly SemaphoreSlim _work = new(0, int.MaxValue);
    private readonly List<Action> _resyncHandlers = [];

    /// <summary>
    /// Called after the listener (re)connects: notifications sent while it was away are lost, so whoever follows a job
    /// reads it again.
    /// </summary>
    public IDisposable OnResync(Action handler)
    {
        lock (_gate)
        {
            _resyncHandlers.Add(handler);
        }

        return new Subscription(() =>
        {
            lock (_gate)
            {
                _resyncHandlers.Remove(handler);
            }
        });
    }

    public void Resync()
    {
        List<Action> handlers;
        lock (_gate)
        {
            handlers = [.. _resyncHandlers];
        }

        SignalWork();
        foreach (var handler in handlers)
        {
            handler();
        }
    }

    public IDisposable Subscribe(Guid? jobId, Action<JobEvent> handler)
    {
        var entry = (jobId, handler);
        lock (_gate)
        {
            _subscribers.Add(entry);
        }

        return new Subscription(() =>
        {
            lock (_gate)
            {
                _subscribers.Remove(entry);
            }
        });
    }

    public void Publish(JobEvent jobEvent)
    {
        ArgumentNullException.ThrowIfNull(jobEvent);
        if (jobEvent.Status == "queued")
        {
            SignalWork();
        }

        List<Action<JobEvent>> handlers;
        lock (_gate)
        {
            handlers = [.. _subscribers.Where(s => s.JobId is null || s.JobId == jobEvent.Id).Select(s => s.Handler)];
        }

        foreach (var handler in handlers)
        {
            handler(jobEvent);
        }
    }

    /// <summary>Wakes one waiting worker (a job was queued, or the listener reconnected and may have missed one).</summary>
    public void SignalWork()
    {
        if (_work.CurrentCount < 64)
        {
            _work.Release();
        }
    }

    /// <summary>Waits for a wake-up or the poll interval, whichever comes first.</summary>
    public Task WaitForWorkAsync(TimeSpan pollInterval, CancellationToken cancellationToken) =>
        _work.WaitAsync(pollInterval, cancellationToken);

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
