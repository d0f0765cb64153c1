using System.Globalization;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing;
using MediaPlatform.Domain.Transcriptions;
using MediaPlatform.Infrastructure.Media;
using MediaPlatform.Infrastructure.Processes;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Redaction;

/// <summary>
/// ffmpeg: the first audio track as mono 16-bit WAV at its own sample rate, silenced inside the spans, with a 1 kHz
/// tone mixed in exactly there. Both branches run in frames of 64 samples, so a span's edges are placed within a few
/// milliseconds (ffmpeg's timeline switches a filter per frame, and default frames are a thousand samples long).
/// </summary>
internal sealed class FfmpegAudioRedactionRenderer(IOptions<ProcessingOptions> options) : IAudioRedactionRenderer
{
    public const double ToneHz = 1000;

    public async Task RenderAsync(string inputPath, IReadOnlyList<RedactedSpan> spans, string outputWavPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var settings = options.Value;
        var inside = spans.Count == 0
            ? "0"
            : string.Join('+', spans.Select(s => string.Create(CultureInfo.InvariantCulture, $"between(t,{s.Start:0.###},{s.End:0.###})")));
        var graph = $"[0:a:0]aformat=channel_layouts=mono,asetnsamples=n=64:p=0,volume=0:enable='{inside}'[speech];"
                    + string.Create(CultureInfo.InvariantCulture, $"sine=frequency={ToneHz}:sample_rate=48000,")
                    + $"aformat=channel_layouts=mono,asetnsamples=n=64:p=0,volume=2,volume=0:enable='not({inside})'[tone];"
                    + "[speech][tone]amix=inputs=2:duration=first:normalize=0[out]";
        var result = await ProcessRunner.RunAsync(
            settings.FfmpegPath,
            ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", .. settings.UntrustedInput(inputPath), "-filter_complex", graph, "-map", "[out]", "-c:a", "pcm_s16le", outputWavPath],
            TimeSpan.FromSeconds(settings.ExtractTimeoutSeconds),
            cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new MediaProcessingException("media.redact_failed", "The redacted audio could not be made.", isTransient: false) { Detail = result.LastErrorLine };
        }
    }
}
