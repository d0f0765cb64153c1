using System.Diagnostics;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Telemetry;

namespace MediaPlatform.Application.Processing.Chunking;

/// <summary>One engine run, measured: runs in progress (chunk parallelism), audio decoded and the real-time factor, per engine.</summary>
internal static class EngineRuns
{
    public static Task<EngineTranscript> TranscribeAsync(
        ITranscriptionEngine engine, string wavPath, TimeSpan duration, TimeSpan leadIn, string? language, IProgress<double> progress, CancellationToken cancellationToken) =>
        TranscribeAsync(engine.Name, async () => (await engine.TranscribeAsync(wavPath, duration, leadIn, language, progress, cancellationToken), duration));

    /// <summary>
    /// Measures <paramref name="transcribe"/>, a run of <paramref name="engine"/> that returns its transcript and how
    /// much audio it decoded (known only after: a run that went on from the part before skipped the lead-in).
    /// </summary>
    public static async Task<EngineTranscript> TranscribeAsync(string engine, Func<Task<(EngineTranscript Transcript, TimeSpan Decoded)>> transcribe)
    {
        var tags = new TagList { { PlatformTelemetry.EngineTag, engine } };
        using var activity = PlatformTelemetry.Source.StartActivity("engine.transcribe");
        activity?.SetTag(PlatformTelemetry.EngineTag, engine);
        PlatformTelemetry.ActiveDecoders.Add(1, tags);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var (transcript, decoded) = await transcribe();
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            activity?.SetTag("mediaplatform.audio.seconds", decoded.TotalSeconds);
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
