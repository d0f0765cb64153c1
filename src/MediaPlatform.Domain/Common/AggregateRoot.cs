namespace MediaPlatform.Domain.Common;

/// <summary>
/// Base of every aggregate: an identity, the domain events raised since it was loaded, and the
/// PostgreSQL <c>xmin</c> row version that detects concurrent writers.
/// </summary>
public abstract class AggregateRoot<TId> : IHasDomainEvents
    where TId : struct
{
    private readonly List<IDomainEvent> _domainEvents = [];

    protected AggregateRoot(TId id) => Id = id;

    public TId Id { get; private set; }

    /// <summary>Row version mapped to the <c>xmin</c> system column; a lost race surfaces as a conflict.</summary>
    public uint Version { get; private set; }

    public IReadOnlyCollection<IDomainEvent> DomainEvents => _domainEvents.AsReadOnly();

    protected void Raise(IDomainEvent domainEvent) => _domainEvents.Add(domainEvent);

    public void ClearDomainEvents() => _domainEvents.Clear();
}
