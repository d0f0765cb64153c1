using System.Diagnostics;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Telemetry;

namespace MediaPlatform.Application.Processing.Chunking;

/// <summary>One engine run, measured: runs in progress (chunk parallelism), audio decoded and the real-time factor, per engine.</summary>
internal static class EngineRuns
{
    public static async Task<EngineTranscript> TranscribeAsync(
        ITranscriptionEngine engine, string wavPath, TimeSpan duration, TimeSpan leadIn, string? language, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var tags = new TagList { { PlatformTelemetry.EngineTag, engine.Name } };
        using var activity = PlatformTelemetry.Source.StartActivity("engine.transcribe");
        activity?.SetTag(PlatformTelemetry.EngineTag, engine.Name);
        activity?.SetTag("mediaplatform.audio.seconds", duration.TotalSeconds);
        PlatformTelemetry.ActiveDecoders.Add(1, tags);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var transcript = await engine.TranscribeAsync(wavPath, duration, leadIn, language, progress, cancellationToken);
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            PlatformTelemetry.AudioTranscribed.Add(duration.TotalSeconds, tags);
            if (duration > TimeSpan.Zero)
            {
                PlatformTelemetry.RealTimeFactor.Record(seconds / duration.TotalSeconds, tags);
            }

            return transcript;
        }
        finally
        {
            PlatformTelemetry.ActiveDecoders.Add(-1, tags);
        }
    }
}
