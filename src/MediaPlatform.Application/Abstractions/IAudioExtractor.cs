namespace MediaPlatform.Application.Abstractions;

/// <summary>Extracts the audio of a media file (video included) as 16 kHz mono 16-bit PCM WAV, loudness normalised.</summary>
public interface IAudioExtractor
{
    Task ExtractAsync(string inputPath, string outputWavPath, CancellationToken cancellationToken = default);

    /// <summary>Only the media's audio from <paramref name="from"/> up to <paramref name="to"/> (to its end when null).</summary>
    Task ExtractAsync(string inputPath, string outputWavPath, TimeSpan from, TimeSpan? to, CancellationToken cancellationToken = default);
}
