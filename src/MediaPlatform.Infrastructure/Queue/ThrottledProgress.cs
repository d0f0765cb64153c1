using MediaPlatform.Application.Processing;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// Stores the pipeline's progress on the job without a write per decoded word: a step change is written at once,
/// percent changes at most once per interval, and the last value is always written before the job completes.
/// </summary>
internal sealed class ThrottledProgress(Func<int, string, Task> write, TimeSpan interval, TimeProvider time) : IJobProgress
{
    private readonly Lock _gate = new();
    // Nothing reported is nothing to write: a job whose pipeline reports no progress costs no progress write.
    private (int Percent, string Step) _latest = (0, string.Empty);
    private (int Percent, string Step) _written = (0, string.Empty);
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;
    private Task _pending = Task.CompletedTask;

    public void Report(int percent, string step)
    {
        lock (_gate)
        {
            _latest = (Math.Clamp(percent, 0, 100), step);
            var now = time.GetUtcNow();
            if (_latest == _written || (step == _written.Step && now - _lastWrite < interval) || !_pending.IsCompleted)
            {
                return;
            }

            _lastWrite = now;
            _written = _latest;
            _pending = write(_latest.Percent, _latest.Step);
        }
    }

    /// <summary>Waits for the write in flight, then writes the latest value if it was not written yet.</summary>
    public async Task FlushAsync()
    {
        Task pending;
        lock (_gate)
        {
            pending = _pending;
        }

        await pending;
        (int, string) latest;
        lock (_gate)
        {
            if (_latest == _written)
            {
                return;
            }

            _written = latest = _latest;
        }

        await write(latest.Item1, latest.Item2);
    }
}
