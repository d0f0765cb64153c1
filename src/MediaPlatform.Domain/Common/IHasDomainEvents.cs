namespace MediaPlatform.Domain.Common;

/// <summary>An aggregate that records domain events until the unit of work collects them after committing.</summary>
public interface IHasDomainEvents
{
    IReadOnlyCollection<IDomainEvent> DomainEvents { get; }

    void ClearDomainEvents();
}
