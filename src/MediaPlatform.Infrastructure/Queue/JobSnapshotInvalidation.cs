using MediaPlatform.Domain.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// A unit of work saving a change to a job makes this process forget its snapshot at once, before and after the
/// save, so the process that made a change never serves the job as it was (other processes hear of it through
/// <c>job_events</c>, milliseconds later).
/// </summary>
internal sealed class JobSnapshotInvalidation(JobSnapshots snapshots) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Forget(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Forget(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Forget(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // Every job the unit of work tracks (the save has detected its changes already; this enumerates, never detects).
        foreach (var entry in context.ChangeTracker.Entries<Job>())
        {
            snapshots.Forget(entry.Entity.Id.Value);
        }
    }
}
