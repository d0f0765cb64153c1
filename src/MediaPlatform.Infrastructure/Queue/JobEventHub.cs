namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// In-process fan-out of <see cref="JobEvent"/>s received by <see cref="JobEventListener"/>: workers wait here for
/// new work, running jobs watch for their own cancellation, and event streams follow a job.
/// </summary>
public sealed class JobEventHub
{
    private readonly Lock _gate = new();
    /// <summary>Handlers of every job's events, copied on change so a publish reads them without a lock.</summary>
    private volatile Action<JobEvent>[] _everyJob = [];

    /// <summary>Handlers of one job's events (a running job's worker, an event stream), by job: a publish looks up its own.</summary>
    private readonly Dictionary<Guid, Action<JobEvent>[]> _byJob = [];
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
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            if (jobId is { } id)
            {
                _byJob[id] = _byJob.TryGetValue(id, out var handlers) ? [.. handlers, handler] : [handler];
            }
            else
            {
                _everyJob = [.. _everyJob, handler];
            }
        }

        return new Subscription(() =>
        {
            lock (_gate)
            {
                if (jobId is { } id)
                {
                    if (_byJob.TryGetValue(id, out var handlers))
                    {
                        var left = Without(handlers, handler);
                        if (left.Length == 0)
                        {
                            _byJob.Remove(id);
                        }
                        else
                        {
                            _byJob[id] = left;
                        }
                    }
                }
                else
                {
                    _everyJob = Without(_everyJob, handler);
                }
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

        Action<JobEvent>[]? forJob;
        lock (_gate)
        {
            _byJob.TryGetValue(jobEvent.Id, out forJob);
        }

        foreach (var handler in _everyJob)
        {
            handler(jobEvent);
        }

        foreach (var handler in forJob ?? [])
        {
            handler(jobEvent);
        }
    }

    /// <summary><paramref name="handlers"/> less the first that is <paramref name="handler"/> itself.</summary>
    private static Action<JobEvent>[] Without(Action<JobEvent>[] handlers, Action<JobEvent> handler)
    {
        var at = Array.FindIndex(handlers, h => ReferenceEquals(h, handler));
        return at < 0 ? handlers : [.. handlers[..at], .. handlers[(at + 1)..]];
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
