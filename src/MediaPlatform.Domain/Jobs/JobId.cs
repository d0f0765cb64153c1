namespace MediaPlatform.Domain.Jobs;

/// <summary>Identity of a <see cref="Job"/>: a UUIDv7, time ordered so inserts stay at the end of the index.</summary>
public readonly record struct JobId(Guid Value)
{
    public static JobId New() => new(Guid.CreateVersion7());

    public override string ToString() => Value.ToString();
}
