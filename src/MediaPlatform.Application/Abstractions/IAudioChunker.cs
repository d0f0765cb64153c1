using MediaPlatform.Application.Processing.Chunking;

namespace MediaPlatform.Application.Abstractions;

/// <summary>Finds the silences of an extracted WAV and cuts it into parts, each a WAV of its own.</summary>
public interface IAudioChunker
{
    /// <summary>The audio's real length (from its samples, not the container's claim) and its silences (at least the configured minimum length), in order.</summary>
    Task<SilenceMap> FindSilencesAsync(string wavPath, CancellationToken cancellationToken = default);

    /// <summary>Writes one WAV per span into <paramref name="folder"/> and returns their paths, in the spans' order.</summary>
    Task<IReadOnlyList<string>> SplitAsync(string wavPath, IReadOnlyList<AudioSpan> spans, string folder, CancellationToken cancellationToken = default);
}

/// <summary>How long a WAV really lasts, and where it is silent.</summary>
public sealed record SilenceMap(double Seconds, IReadOnlyList<AudioSpan> Silences);
