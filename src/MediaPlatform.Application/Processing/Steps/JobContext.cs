using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Processing.Steps;

/// <summary>What the steps of one attempt share: the job, its media, its scratch folder, and what each step produced.</summary>
public sealed class JobContext(Job job, MediaAsset asset, IScratchFolder scratch)
{
    public Job Job { get; } = job;

    public MediaAsset Asset { get; } = asset;

    public IScratchFolder Scratch { get; } = scratch;

    /// <summary>The extracted 16 kHz mono WAV (extract).</summary>
    public string? AudioPath { get; set; }

    /// <summary>How much of the media is processed (extract): its length, capped by the service's limit.</summary>
    public TimeSpan Duration { get; set; }

    /// <summary>Where the extracted audio starts in the media (audioStartFrom); the transcript is moved back by it.</summary>
    public TimeSpan AudioOffset { get; set; }

    /// <summary>The job's transcription: saved by transcribe (or by an earlier attempt), or the media's latest for an analysis job.</summary>
    public Transcription? Transcription { get; set; }

    /// <summary>The analyses (analyse), written when the job completes.</summary>
    public List<AnalysisResult> Analyses { get; } = [];

    public bool Transcribes => Job.Kind == JobKind.Transcription;
}
