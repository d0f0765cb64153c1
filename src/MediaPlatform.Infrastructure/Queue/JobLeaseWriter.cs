using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Domain;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// Every write a worker makes to the job it holds (heartbeat, progress, completion, failure), one at a time, each
/// through the aggregate in a fresh unit of work. The aggregate refuses the write when the worker no longer holds
/// the lease (the job was cancelled, or reaped after a stall), which is how a worker learns it must stop.
/// The copy saved last is reused (no read before each write); if someone else changed the row meanwhile, the save is
/// a concurrency conflict and the write is retried on a fresh copy.
/// </summary>
internal sealed class JobLeaseWriter(IServiceScopeFactory scopes, Job claimed) : IDisposable
{
    private const int ConflictRetries = 3;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly JobId _id = claimed.Id;
    private readonly Domain.Tenants.TenantId _tenant = claimed.TenantId;
    private Job? _current = claimed;

    /// <summary>Applies <paramref name="change"/> and saves; false when the job is gone or the change was refused.</summary>
    public async Task<bool> UpdateAsync(Func<Job, Result> change, Action<IServiceProvider, Job>? alsoWrite = null, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 0; attempt < ConflictRetries; attempt++)
            {
                await using var scope = scopes.CreateTenantScope(_tenant);
                var jobs = scope.ServiceProvider.GetRequiredService<IJobRepository>();
                var job = _current;
                if (job is null)
                {
                    job = await jobs.GetAsync(_id, cancellationToken);
                }
                else
                {
                    jobs.Track(job);
                }

                if (job is null || change(job).IsFailure)
                {
                    // A refused change leaves the aggregate as it was, so the copy stays good.
                    return false;
                }

                alsoWrite?.Invoke(scope.ServiceProvider, job);
                try
                {
                    await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().SaveChangesAsync(cancellationToken);
                    _current = job;
                }
                catch (ConcurrencyConflictException)
                {
                    // Someone else wrote the row (a cancel, the reaper): look at it again.
                    _current = null;
                    continue;
                }
                catch
                {
                    // The copy now holds a change that was not saved; never build on it.
                    _current = null;
                    throw;
                }

                await PublishQuietlyAsync(scope.ServiceProvider);
                return true;
            }

            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>The job this writer writes.</summary>
    internal JobId Id => _id;

    internal Domain.Tenants.TenantId Tenant => _tenant;

    /// <summary>The copy saved last (null once a write failed or conflicted: read it again).</summary>
    internal Job? Current => _current;

    /// <summary>
    /// Holds this writer's turn for a write made elsewhere (<see cref="JobFinishBatcher"/>, which saves several jobs'
    /// writes together); <see cref="Exit"/> gives it back. While held, no heartbeat or progress write of this job runs.
    /// </summary>
    internal Task EnterAsync() => _gate.WaitAsync();

    internal void Exit() => _gate.Release();

    /// <summary>After a write made elsewhere while entered: <paramref name="job"/> was saved (null: it was not, forget the copy).</summary>
    internal void Wrote(Job? job) => _current = job;

    /// <summary>
    /// The job's transitions reach the same notification handlers as a command's. The write is committed: a handler
    /// that fails is logged, never taken for a failed write (which would be retried, or cost the job its lease).
    /// </summary>
    internal static async Task PublishQuietlyAsync(IServiceProvider services)
    {
        try
        {
            await services.GetRequiredService<DomainEventPublisher>().PublishAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            services.GetRequiredService<ILogger<JobLeaseWriter>>().LogError(ex, "A handler of a job's domain event failed after the write was committed");
        }
    }
}
