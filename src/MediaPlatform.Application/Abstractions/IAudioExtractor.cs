namespace MediaPlatform.Application.Abstractions;

/// <summary>Extracts the audio of a media file (video included) as 16 kHz mono 16-bit PCM WAV, loudness normalised.</summary>
public interface IAudioExtractor
{
    Task ExtractAsync(string inputPath, string outputWavPath, CancellationToken cancellationToken = default);
}
