namespace MediaPlatform.Domain.Analyses;

/// <summary>The built-in analyses of a transcript.</summary>
public enum AnalysisKind
{
    Keywords,
    Summary,
    Sentiment,
    SpeechStatistics,
}
