namespace MediaPlatform.Domain.Analyses;

/// <summary>Identity of an <see cref="AnalysisResult"/> (UUIDv7).</summary>
public readonly record struct AnalysisResultId(Guid Value)
{
    public static AnalysisResultId New() => new(Guid.CreateVersion7());

    public override string ToString() => Value.ToString();
}
