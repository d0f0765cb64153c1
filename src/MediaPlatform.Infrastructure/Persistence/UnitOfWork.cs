using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Infrastructure.Persistence;

/// <summary>
/// The scope's context as the Application sees it (commit, raised events). A separate object that is not disposable,
/// so the DI scope disposes the pooled context once, through its own registration: resolved as the context under
/// these names, it was disposed once per name, and a later disposal could end the lease of the scope that had rented
/// the context from the pool in the meantime (tests: ContextPoolTests).
/// </summary>
internal sealed class UnitOfWork(MediaPlatformDbContext db) : IUnitOfWork, IDomainEventSource
{
    public Task<int> SaveChangesAsync(CancellationToken cancellationToken = default) => db.SaveChangesAsync(cancellationToken);

    public IReadOnlyList<IDomainEvent> DequeueDomainEvents() => db.DequeueDomainEvents();
}
