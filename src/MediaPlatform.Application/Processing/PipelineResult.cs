using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Processing;

/// <summary>What a job produced, written in the same transaction that completes it.</summary>
public sealed record PipelineResult(Transcription? Transcription, IReadOnlyList<AnalysisResult> Analyses);
