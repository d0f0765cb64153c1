using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Abstractions;

/// <summary>One built-in analysis of a transcript, computed locally.</summary>
public interface IAnalyzer
{
    AnalysisKind Kind { get; }

    AnalyzerOutput Analyze(Transcription transcription, TimeSpan mediaDuration);
}
