using System.Diagnostics;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Telemetry;

namespace MediaPlatform.Application.Processing.Chunking;

/// <summary>One engine run, measured: runs in progress (chunk parallelism), audio decoded and the real-time factor, per engine.</summary>
internal static class EngineRuns
{
    public static Task<EngineTranscript> TranscribeAsync(
        ITranscriptionEngine engine, string wavPath, TimeSpan duration, TimeSpan leadIn, string? language, IProgress<double> progress, CancellationToken cancellationToken) =>
        TranscribeAsync(engine.Name, duration, () => engine.TranscribeAsync(wavPath, duration, leadIn, language, progress, cancellationToken));

    /// <summary>Measures <paramref name="transcribe"/>, a run of <paramref name="engine"/> on <paramref name="decoded"/> of audio.</summary>
    public static async Task<EngineTranscript> TranscribeAsync(string engine, TimeSpan decoded, Func<Task<EngineTranscript>> transcribe)
    {
        var tags = new TagList { { PlatformTelemetry.EngineTag, engine } };
        using var activity = PlatformTelemetry.Source.StartActivity("engine.transcribe");
        activity?.SetTag(PlatformTelemetry.EngineTag, engine);
        activity?.SetTag("mediaplatform.audio.seconds", decoded.TotalSeconds);
        PlatformTelemetry.ActiveDecoders.Add(1, tags);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var transcript = await transcribe();
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            PlatformTelemetry.AudioTranscribed.Add(decoded.TotalSeconds, tags);
            if (decoded > TimeSpan.Zero)
            {
                PlatformTelemetry.RealTimeFactor.Record(seconds / decoded.TotalSeconds, tags);
            }

            return transcript;
        }
        finally
        {
            PlatformTelemetry.ActiveDecoders.Add(-1, tags);
        }
    }
}
