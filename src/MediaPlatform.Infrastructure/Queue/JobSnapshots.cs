using System.Collections.Concurrent;
using MediaPlatform.Domain.Jobs;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// The latest read of jobs whose every change is announced on <c>job_events</c>, for <c>GET /api/v1/jobs/{id}</c>
/// (polled by clients far more often than a job changes). A queued or finished job changes only through its status
/// (claimed, cancelled, retried, released, deleted), and the <c>job_notify</c> trigger announces each such change in
/// whatever process makes it; a running job is never kept (its lease and <c>updatedAt</c> move on every heartbeat
/// without an announcement). An entry goes as soon as its job's announcement arrives, when this process saves a change
/// to the job, and after <see cref="QueueOptions.JobSnapshotSeconds"/> in any case; nothing is kept while the listener is not connected
/// (announcements would be missed), and everything goes when it reconnects (docs/adr/0026).
/// </summary>
public sealed class JobSnapshots
{
    /// <summary>The longest an entry is used, announcement or not (a safety net, not the mechanism; <see cref="QueueOptions.JobSnapshotSeconds"/>).</summary>
    private readonly long _lifetimeMs;

    /// <summary>Most entries; beyond it everything is dropped and filling starts again.</summary>
    internal const int Capacity = 10_000;

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private readonly JobEventHub _hub;
    private long _generation;
    private long _clearedAt;
    private int _reading;

    public JobSnapshots(JobEventHub hub, IOptions<QueueOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _hub = hub;
        _lifetimeMs = (long)(options.Value.JobSnapshotSeconds * 1000);
        hub.Subscribe(null, e => Forget(e.Id));
        hub.OnResync(Clear);
        hub.OnListenerLost(Clear);
    }

    /// <summary>
    /// Called before reading a job from the database: the current generation (each forget and clear makes a new one),
    /// to give <see cref="Keep"/> with what was read.
    /// Every <see cref="BeginRead"/> is followed by one <see cref="EndRead"/>.
    /// </summary>
    public long BeginRead()
    {
        Interlocked.Increment(ref _reading);
        return Interlocked.Read(ref _generation);
    }

    public void EndRead() => Interlocked.Decrement(ref _reading);

    public bool TryGet(JobId id, out Job job)
    {
        if (_hub.Listening && _entries.TryGetValue(id.Value, out var entry) && entry.Job is { } kept && Environment.TickCount64 < entry.Until)
        {
            job = kept;
            return true;
        }

        job = null!;
        return false;
    }

    /// <summary>
    /// Keeps <paramref name="job"/> as read when <paramref name="readAt"/> (from <see cref="BeginRead"/>) was the
    /// generation, unless it is running, the listener is away, or its job was forgotten (or everything cleared) since
    /// that read began: the read may predate the change that was announced. (A clear that falls between this check and
    /// the write can leave such a read for at most <see cref="QueueOptions.JobSnapshotSeconds"/>.)
    /// </summary>
    public void Keep(Job job, long readAt)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (_lifetimeMs <= 0 || job.Status == JobStatus.Running || !_hub.Listening || readAt < Interlocked.Read(ref _clearedAt))
        {
            return;
        }

        if (_entries.Count >= Capacity)
        {
            Clear();
            return;
        }

        var entry = new Entry(job, readAt, Environment.TickCount64 + _lifetimeMs);
        _entries.AddOrUpdate(
            job.Id.Value,
            entry,
            (_, existing) => existing.Job is null && existing.Generation > readAt ? existing : entry);
    }

    /// <summary>The job changed: its entry goes, and reads that began before now will not keep it.</summary>
    public void Forget(Guid id)
    {
        var generation = Interlocked.Increment(ref _generation);
        if (Volatile.Read(ref _reading) == 0 && _entries.IsEmpty)
        {
            // Nothing kept and no read under way (a worker process, a quiet API): nothing to mark. A read that begins
            // after this sees the change, which was committed before it was announced.
            return;
        }

        _entries[id] = new Entry(null, generation, 0);
        if ((generation & 1023) == 0 && _entries.Count > Capacity)
        {
            Clear();
        }
    }

    public void Clear()
    {
        Interlocked.Exchange(ref _clearedAt, Interlocked.Increment(ref _generation));
        _entries.Clear();
    }

    /// <summary>A job as read (<see cref="Job"/> set), or the mark that it was forgotten at <see cref="Generation"/>.</summary>
    private sealed record Entry(Job? Job, long Generation, long Until);
}
