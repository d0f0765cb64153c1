namespace MediaPlatform.Domain;

/// <summary>Commits every change tracked by the repositories of one request in a single transaction.</summary>
public interface IUnitOfWork
{
    /// <summary>Saves all changes. Throws <see cref="Common.ConcurrencyConflictException"/> when another writer won the race.</summary>
    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
