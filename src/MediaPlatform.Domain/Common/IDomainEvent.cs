namespace MediaPlatform.Domain.Common;

/// <summary>Something that happened in the domain. Dispatched only after the transaction that raised it commits.</summary>
public interface IDomainEvent
{
    DateTimeOffset OccurredAt { get; }
}
