namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// A change of a job, as the database trigger announces it on <c>job_events</c>: its status (or <c>deleted</c>),
/// progress and step, the lease owner, and the id of the transaction that made the change (its low 32 bits, the
/// same as the row's <c>xmin</c>), so a listener can tell a change made before its own claim from one made after.
/// </summary>
public sealed record JobEvent(Guid Id, string Status, int Progress, string? Step, string? Lease = null, long? Xid = null)
{
    public const string Deleted = "deleted";

    /// <summary>
    /// Whether this event tells the worker holding claim <paramref name="lease"/> (made in the transaction whose xid is
    /// <paramref name="claimXid"/>) to stop: a change made after the claim that is not the claim's own progress (a
    /// cancel, a delete, the reaper returning the job, another worker's claim). Earlier changes arriving late, such
    /// as the "queued" of the job's submission, are not.
    /// </summary>
    public bool StopsClaim(string lease, uint claimXid)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (Xid is { } xid && unchecked((int)((uint)xid - claimXid)) <= 0)
        {
            return false;
        }

        return !(Status == "running" && (Lease is null || Lease == lease));
    }
}
