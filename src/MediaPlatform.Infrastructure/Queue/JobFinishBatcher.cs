using System.Threading.Channels;
using MediaPlatform.Application.Common.Telemetry;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Application.Processing;
using MediaPlatform.Domain;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// Group commit for the writes that end attempts (docs/adr/0016): the completions and failures the worker loops hand
/// over while one transaction is being written are saved together in the next, one per tenant, each still through
/// its aggregate (<see cref="Job.Complete"/>, <see cref="Job.FailAttempt"/>) with its version check and its outbox row.
/// A lone write goes out at once, so nothing waits for company. When a shared write fails (a job changed under its
/// worker, the database away), every write of it is made again on its own, the way a single write is made
/// (<see cref="JobLeaseWriter"/> through <see cref="Reliability.DurableWrite"/>), so one job's conflict costs the
/// others nothing but time; those writes run beside the batches, never in their way, so a write that keeps failing
/// holds up only its own job.
/// </summary>
internal sealed partial class JobFinishBatcher(IServiceScopeFactory scopes, ILogger logger)
{
    /// <summary>Most writes one transaction carries.</summary>
    internal const int MaxBatch = 100;

    private readonly Channel<Finish> _pending = Channel.CreateUnbounded<Finish>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Writes made on their own, still under way: the reader never waits for them (one that keeps failing must not hold up the others).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, bool> _alone = new();

    private readonly Lock _gate = new();
    private int _waiting;
    private TaskCompletionSource? _drained;
    private int _drainedAt;

    /// <summary>Finishing writes handed over and not yet saved or refused (the worker claims no more jobs while there are too many).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>
    /// Completes once at most <paramref name="most"/> writes are waiting: the claimer's back-pressure, woken by the
    /// write that brings the count down rather than by a 20 ms poll, which left the claimer idle for up to 20 ms after
    /// the writes had caught up. One waiter at a time (the claimer).
    /// </summary>
    public Task WaitUntilAtMostAsync(int most, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Waiting <= most)
            {
                return Task.CompletedTask;
            }

            _drainedAt = most;
            var drained = _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            // A write saved between the check above and publishing the waiter did not see it: look again.
            Interlocked.MemoryBarrier();
            if (Waiting <= most)
            {
                _drained = null;
                return Task.CompletedTask;
            }

            return drained.Task.WaitAsync(cancellationToken);
        }
    }

    private void Saved()
    {
        var left = Interlocked.Decrement(ref _waiting);
        if (Volatile.Read(ref _drained) is null)
        {
            return;
        }

        lock (_gate)
        {
            if (_drained is { } drained && left <= _drainedAt)
            {
                _drained = null;
                drained.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Saves <paramref name="change"/> of the writer's job (with the attempt's <paramref name="results"/>): true when
    /// saved, false when refused. <paramref name="alone"/> makes the same write on its own (retried through outages).
    /// </summary>
    public Task<bool> FinishAsync(JobLeaseWriter writer, Func<Job, Result> change, PipelineResult? results, Func<Task<bool>> alone)
    {
        var finish = new Finish(writer, change, results, alone);
        if (!_pending.Writer.TryWrite(finish))
        {
            return alone();
        }

        Interlocked.Increment(ref _waiting);
        _ = finish.Done.Task.ContinueWith(_ => Saved(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return finish.Done.Task;
    }

    /// <summary>Writes what is handed over until <see cref="Complete"/> is called and nothing is left.</summary>
    public async Task RunAsync()
    {
        var batch = new List<Finish>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var finish))
            {
                batch.Add(finish);
            }

            foreach (var tenant in batch.GroupBy(f => f.Writer.Tenant))
            {
                await FlushAsync([.. tenant]);
            }

            batch.Clear();
        }

        await Task.WhenAll(_alone.Keys);
    }

    /// <summary>No more writes will be handed over (they are made on their own from now on).</summary>
    public void Complete() => _pending.Writer.TryComplete();

    private async Task FlushAsync(List<Finish> batch)
    {
        if (batch.Count == 1 || !await TryTogetherAsync(batch))
        {
            foreach (var finish in batch)
            {
                var write = AloneAsync(finish);
                _alone[write] = true;
                _ = write.ContinueWith(t => _alone.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>One transaction for all of <paramref name="batch"/> (one tenant's); false (nothing saved) when it failed.</summary>
    private async Task<bool> TryTogetherAsync(List<Finish> batch)
    {
        var entered = new List<Finish>(batch.Count);
        var written = new List<(Finish Finish, Job Job)>(batch.Count);
        var refused = new List<Finish>();
        try
        {
            foreach (var finish in batch)
            {
                await finish.Writer.EnterAsync();
                entered.Add(finish);
            }

            await using var scope = scopes.CreateTenantScope(batch[0].Writer.Tenant);
            var jobs = scope.ServiceProvider.GetRequiredService<IJobRepository>();
            var analyses = scope.ServiceProvider.GetRequiredService<IAnalysisResultRepository>();
            foreach (var finish in batch)
            {
                var job = finish.Writer.Current;
                if (job is null)
                {
                    job = await jobs.GetAsync(finish.Writer.Id);
                }
                else
                {
                    jobs.Track(job);
                }

                if (job is null || finish.Change(job).IsFailure)
                {
                    // A refused change leaves the aggregate as it was: refused for good, as on its own.
                    refused.Add(finish);
                    continue;
                }

                foreach (var analysis in finish.Results?.Analyses ?? [])
                {
                    analyses.Add(analysis);
                }

                written.Add((finish, job));
            }

            if (written.Count > 0)
            {
                await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync();
                PlatformTelemetry.QueueFinishSize.Record(written.Count);
            }

            foreach (var (finish, job) in written)
            {
                finish.Writer.Wrote(job);
            }

            await JobLeaseWriter.PublishQuietlyAsync(scope.ServiceProvider);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The copies now hold changes that were not saved: every writer reads its job again, on its own.
            foreach (var finish in entered)
            {
                finish.Writer.Wrote(null);
            }

            LogTogetherFailed(logger, batch.Count, ex.GetBaseException().Message);
            return false;
        }
        finally
        {
            foreach (var finish in entered)
            {
                finish.Writer.Exit();
            }
        }

        foreach (var (finish, _) in written)
        {
            finish.Done.TrySetResult(true);
        }

        foreach (var finish in refused)
        {
            finish.Done.TrySetResult(false);
        }

        return true;
    }

    private static async Task AloneAsync(Finish finish)
    {
        try
        {
            var saved = await finish.Alone();
            if (saved)
            {
                PlatformTelemetry.QueueFinishSize.Record(1);
            }

            finish.Done.TrySetResult(saved);
        }
        catch (Exception ex)
        {
            finish.Done.TrySetException(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} finishing writes could not be saved together ({Reason}); each is written on its own")]
    private static partial void LogTogetherFailed(ILogger logger, int count, string reason);

    private sealed record Finish(JobLeaseWriter Writer, Func<Job, Result> Change, PipelineResult? Results, Func<Task<bool>> Alone)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
