using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Processing;

/// <summary>
/// What a job produced: its transcription (already saved by the transcribe step, or the media's latest for an
/// analysis job) and its analyses, which are written in the same transaction that completes the job.
/// </summary>
public sealed record PipelineResult(Transcription? Transcription, IReadOnlyList<AnalysisResult> Analyses);
