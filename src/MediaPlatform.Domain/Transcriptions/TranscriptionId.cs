namespace MediaPlatform.Domain.Transcriptions;

/// <summary>Identity of a <see cref="Transcription"/> (UUIDv7).</summary>
public readonly record struct TranscriptionId(Guid Value)
{
    public static TranscriptionId New() => new(Guid.CreateVersion7());

    public override string ToString() => Value.ToString();
}
