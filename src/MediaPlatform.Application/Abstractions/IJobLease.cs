using MediaPlatform.Application.Processing;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;

namespace MediaPlatform.Application.Abstractions;

/// <summary>
/// A claimed job as its worker holds it: every write goes through the aggregate, which refuses it once the worker no
/// longer holds the lease (the job was cancelled or taken over). Infrastructure implements it with the lease SQL and
/// the database's clock.
/// </summary>
public interface IJobLease
{
    /// <summary>The lease owner this claim wrote on the job (the worker's name and a random part).</summary>
    string Owner { get; }

    /// <summary>The lease's clock: the database's, measured from this host.</summary>
    DateTimeOffset Now { get; }

    /// <summary>
    /// A write that ends the attempt (completion with its results, a retry, a failure): retried through a database
    /// outage until it is saved or refused. False when refused (the lease is lost) or when the host stops first.
    /// </summary>
    Task<bool> FinishAsync(Func<Job, Result> change, PipelineResult? results = null);

    /// <summary>One try (a release while shutting down): saved, refused by the job, or not written (the database failed).</summary>
    Task<LeaseWrite> TryUpdateAsync(Func<Job, Result> change);
}

/// <summary>What became of one try at a write through <see cref="IJobLease"/>.</summary>
public enum LeaseWrite
{
    /// <summary>The change is saved.</summary>
    Saved,

    /// <summary>The job refused it: this worker no longer holds the lease (the job was cancelled or taken over).</summary>
    Refused,

    /// <summary>Not written (the database was unreachable or the write failed); the lease runs out on its own.</summary>
    Failed,
}
