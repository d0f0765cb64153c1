using MediaPlatform.Application.Processing.Chunking;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;

namespace MediaPlatform.Application.Abstractions;

/// <summary>One part of a long recording to queue: the span whose words it answers for, where decoding starts (a lead-in before it), and its WAV in the blob store.</summary>
public sealed record PartPlan(int Index, AudioSpan Keep, double DecodeFrom, string BlobKey);

public enum PartStatus
{
    Queued,
    Running,
    Done,
    Failed,
}

/// <summary>A queued part as its coordinator sees it (without its transcript).</summary>
public sealed record PartState(
    int Index, AudioSpan Keep, double DecodeFrom, string BlobKey, PartStatus Status, double Progress, int Attempts, bool LeaseExpired, string? ErrorCode, string? ErrorMessage);

/// <summary>A part a worker claimed: what it decodes, with which engine and custom vocabulary, the lease it holds, and its job's trace context.</summary>
public sealed record ClaimedPart(
    JobId JobId, TenantId TenantId, int Index, AudioSpan Keep, double DecodeFrom, string BlobKey, string Engine, string? Language, int Attempt, string LeaseOwner,
    string? TraceParent = null)
{
    /// <summary>The job's custom vocabulary (<see cref="TranscriptionHints"/>), empty without.</summary>
    public IReadOnlyList<string> Vocabulary { get; init; } = [];

    /// <summary>How much audio the part's engine process decodes: its lead-in and its span.</summary>
    public TimeSpan DecodeDuration => TimeSpan.FromSeconds(Keep.End - DecodeFrom);

    /// <summary>The part's lead-in: the audio before its span, there to settle the engine.</summary>
    public TimeSpan LeadIn => TimeSpan.FromSeconds(Math.Max(0, Keep.Start - DecodeFrom));
}

/// <summary>
/// The parts of long recordings as work items any worker may claim (docs/adr/0012): a job's transcribe step queues
/// them and waits; every worker process decodes parts of any running job. Leases are on the database's clock; a
/// part's lease that runs out (its worker died) makes it claimable again, and only the lease's owner can finish it.
/// </summary>
public interface IJobPartQueue
{
    /// <summary>Queues the parts of <paramref name="job"/>; parts already queued (an earlier attempt's) are kept as they are.</summary>
    Task EnqueueAsync(JobId job, TenantId tenant, string engine, string? language, IReadOnlyList<PartPlan> parts, CancellationToken cancellationToken = default);

    /// <summary>The job's parts in order; empty when none are queued.</summary>
    Task<IReadOnlyList<PartState>> ListAsync(JobId job, CancellationToken cancellationToken = default);

    /// <summary>The transcripts of the job's finished parts, by index.</summary>
    Task<IReadOnlyDictionary<int, EngineTranscript>> TranscriptsAsync(JobId job, CancellationToken cancellationToken = default);

    /// <summary>Removes the job's parts (not their blobs).</summary>
    Task DeleteAsync(JobId job, CancellationToken cancellationToken = default);

    /// <summary>Waits until a part of <paramref name="job"/> changes state, or <paramref name="timeout"/> passes.</summary>
    Task WaitForChangeAsync(JobId job, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims a claimable part (queued and due, or running with an expired lease, of a job still queued or running,
    /// with attempts left) of the oldest job that has one, or null. Within the job, with <paramref name="forRuns"/>, the
    /// first of a stretch of claimable parts that no worker will go on to, else the middle of the longest stretch
    /// (docs/adr/0031); without (workers that decode every part from its lead-in), the first claimable part.
    /// </summary>
    Task<ClaimedPart?> ClaimAsync(string owner, TimeSpan lease, bool forRuns = true, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims part <paramref name="index"/> of <paramref name="job"/> when it is claimable (as <see cref="ClaimAsync"/>
    /// would take it), or null: a worker that decoded the part before it goes on with it (docs/adr/0031).
    /// </summary>
    Task<ClaimedPart?> ClaimNextAsync(string owner, TimeSpan lease, JobId job, int index, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease and records progress; false when the part is no longer this owner's or its job has ended.</summary>
    Task<bool> RenewAsync(ClaimedPart part, TimeSpan lease, double progress, CancellationToken cancellationToken = default);

    /// <summary>Stores the transcript and marks the part done; false when the lease was lost (the result is discarded).</summary>
    Task<bool> CompleteAsync(ClaimedPart part, EngineTranscript transcript, CancellationToken cancellationToken = default);

    /// <summary>Gives the part back without charging its attempt (the worker's host is stopping); false when the lease was lost.</summary>
    Task<bool> ReleaseAsync(ClaimedPart part, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a failed attempt: a transient one queues the part again after <paramref name="retryAfter"/> while it has
    /// attempts left (the job's <c>MaxAttempts</c>), otherwise the part fails. False when the lease was lost.
    /// </summary>
    Task<bool> FailAsync(ClaimedPart part, string code, string message, bool transient, TimeSpan retryAfter, CancellationToken cancellationToken = default);
}
