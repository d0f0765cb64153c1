using System.Globalization;
using System.Text.Json;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing;
using MediaPlatform.Domain.Media;
using MediaPlatform.Infrastructure.Processes;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Media;

/// <summary><c>ffprobe -show_format -show_streams</c> as JSON: duration, codecs, channels, sample rate.</summary>
internal sealed class FfprobeMediaProbe(IOptions<ProcessingOptions> options) : IMediaProbe
{
    public async Task<MediaStreamFacts> ProbeAsync(string path, CancellationToken cancellationToken = default)
    {
        var result = await ProcessRunner.RunAsync(
            options.Value.FfprobePath,
            ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", .. options.Value.UntrustedInput(path)],
            TimeSpan.FromSeconds(options.Value.ProbeTimeoutSeconds),
            cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new MediaProcessingException(
                "media.undecodable", "The file could not be read as audio or video.", isTransient: false) { Detail = result.LastErrorLine };
        }

        using var document = JsonDocument.Parse(result.Stdout);
        var root = document.RootElement;
        string? audioCodec = null, videoCodec = null;
        int? channels = null, sampleRate = null;
        if (root.TryGetProperty("streams", out var streams))
        {
            foreach (var stream in streams.EnumerateArray())
            {
                var type = stream.TryGetProperty("codec_type", out var t) ? t.GetString() : null;
                var codec = stream.TryGetProperty("codec_name", out var c) ? c.GetString() : "unknown";
                if (type == "audio" && audioCodec is null)
                {
                    audioCodec = codec;
                    channels = stream.TryGetProperty("channels", out var ch) ? ch.GetInt32() : null;
                    sampleRate = stream.TryGetProperty("sample_rate", out var sr) && int.TryParse(sr.GetString(), CultureInfo.InvariantCulture, out var rate) ? rate : null;
                }
                else if (type == "video" && videoCodec is null && !IsCoverArt(stream))
                {
                    videoCodec = codec;
                }
            }
        }

        if (audioCodec is null && videoCodec is null)
        {
            throw new MediaProcessingException("media.undecodable", "The file has no audio or video stream.", isTransient: false);
        }

        var duration = root.TryGetProperty("format", out var format)
            && format.TryGetProperty("duration", out var d)
            && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : TimeSpan.Zero;
        return new MediaStreamFacts(duration, audioCodec, videoCodec, channels, sampleRate);
    }

    // An MP3 or M4A with album art has a one-frame "video" stream that is not video.
    private static bool IsCoverArt(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var disposition)
        && disposition.TryGetProperty("attached_pic", out var attached)
        && attached.GetInt32() == 1;
}
