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
    private readonly SemaphoreSlim _parts = new(0, int.MaxValue);
    private readonly Dictionary<Guid, List<TaskCompletionSource>> _partWaiters = [];
    private readonly List<Action> _resyncHandlers = [];
    private readonly List<Action> _lostHandlers = [];
    private volatile bool _listening;

    /// <summary>Whether the listener is connected, so every change of a job made anywhere is heard here.</summary>
    public bool Listening => _listening;

    /// <summary>Called when the listener's connection fails: changes are no longer heard until it reconnects (<see cref="Resync"/>).</summary>
    public IDisposable OnListenerLost(Action handler)
    {
        lock (_gate)
        {
            _lostHandlers.Add(handler);
        }

        return new Subscription(() =>
        {
            lock (_gate)
            {
                _lostHandlers.Remove(handler);
            }
        });
    }

    public void ListenerLost()
    {
        _listening = false;
        List<Action> handlers;
        lock (_gate)
        {
            handlers = [.. _lostHandlers];
        }

        foreach (var handler in handlers)
        {
            handler();
        }
    }

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
        SignalParts();
        WakePartWaiters(null);
        foreach (var handler in handlers)
        {
            handler();
        }

        _listening = true;
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

    /// <summary>A part of <paramref name="jobId"/> changed state (the <c>job_parts</c> channel): queued parts wake the part workers, every change its coordinator.</summary>
    public void PublishPartChange(Guid jobId, string status)
    {
        if (status == "queued")
        {
            SignalParts();
        }

        WakePartWaiters(jobId);
    }

    /// <summary>Wakes the part workers waiting in this process (several parts were queued at once).</summary>
    public void SignalParts()
    {
        if (_parts.CurrentCount < 64)
        {
            _parts.Release(8);
        }
    }

    /// <summary>Waits for queued parts or the poll interval, whichever comes first.</summary>
    public Task WaitForPartsAsync(TimeSpan pollInterval, CancellationToken cancellationToken) =>
        _parts.WaitAsync(pollInterval, cancellationToken);

    /// <summary>Waits until a part of <paramref name="jobId"/> changes state, or <paramref name="timeout"/> passes.</summary>
    public async Task WaitForPartChangeAsync(Guid jobId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (!_partWaiters.TryGetValue(jobId, out var list))
            {
                _partWaiters[jobId] = list = [];
            }

            list.Add(waiter);
        }

        try
        {
            await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            lock (_gate)
            {
                if (_partWaiters.TryGetValue(jobId, out var list) && list.Remove(waiter) && list.Count == 0)
                {
                    _partWaiters.Remove(jobId);
                }
            }
        }
    }

    private void WakePartWaiters(Guid? jobId)
    {
        List<TaskCompletionSource> woken;
        lock (_gate)
        {
            woken = jobId is { } id
                ? _partWaiters.TryGetValue(id, out var list) ? [.. list] : []
                : [.. _partWaiters.Values.SelectMany(l => l)];
        }

        foreach (var waiter in woken)
        {
            waiter.TrySetResult();
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
