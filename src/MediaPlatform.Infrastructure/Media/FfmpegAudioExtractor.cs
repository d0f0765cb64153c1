using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing;
using MediaPlatform.Infrastructure.Processes;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Media;

/// <summary>
/// ffmpeg to 16 kHz mono 16-bit PCM, the first audio stream only (video is dropped), loudness normalised with
/// ffmpeg's dynamic audio normaliser (<c>dynaudnorm</c>) so quiet recordings reach the recogniser at a usable level.
/// Measured on the librivox recordings: the same word error rate as EBU R128 <c>loudnorm</c> (35.2 %), at a tenth of
/// the cost (0.06 s instead of 0.59 s for a minute of audio; loudnorm resamples to 192 kHz internally).
/// </summary>
internal sealed class FfmpegAudioExtractor(IOptions<ProcessingOptions> options, IOptions<MediaOptions> media) : IAudioExtractor
{
    public Task ExtractAsync(string inputPath, string outputWavPath, CancellationToken cancellationToken = default) =>
        ExtractAsync(inputPath, outputWavPath, TimeSpan.Zero, null, cancellationToken);

    public async Task ExtractAsync(string inputPath, string outputWavPath, TimeSpan from, TimeSpan? to, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        double length = media.Value.MaxMediaSeconds;
        if (to is { } end)
        {
            length = Math.Min(length, (end - from).TotalSeconds);
        }

        // -ss before -i seeks the input (fast and exact for audio); -t then bounds the length.
        string[] range = from > TimeSpan.Zero ? ["-ss", from.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)] : [];
        var result = await ProcessRunner.RunAsync(
            settings.FfmpegPath,
            // Only local files (a playlist or concat list disguised as audio cannot reach URLs), and never more output
            // than the longest media the service processes: by time (-t) and by size (-fs, 16 kHz 16-bit mono + header).
            ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", .. range, .. settings.UntrustedInput(inputPath), "-map", "0:a:0", "-vn",
             "-af", "dynaudnorm", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le",
             "-t", length.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture),
             "-fs", ((32_000L * (long)Math.Ceiling(length)) + 65_536).ToString(System.Globalization.CultureInfo.InvariantCulture),
             outputWavPath],
            TimeSpan.FromSeconds(settings.ExtractTimeoutSeconds),
            cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new MediaProcessingException(
                "media.extract_failed", "The audio could not be extracted from the file.", isTransient: false) { Detail = result.LastErrorLine };
        }
    }
}
