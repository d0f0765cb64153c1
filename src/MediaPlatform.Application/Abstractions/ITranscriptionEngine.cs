using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Abstractions;

/// <summary>Turns speech into time-coded text. Implementations: offline pocketsphinx, and any OpenAI-compatible server.</summary>
public interface ITranscriptionEngine
{
    /// <summary>The name jobs use to choose this engine (<c>pocketsphinx</c>, <c>openai</c>).</summary>
    string Name { get; }

    /// <summary>False when the engine lacks configuration (a server address); unavailable engines are not offered.</summary>
    bool IsAvailable { get; }

    /// <summary>
    /// Transcribes a 16 kHz mono WAV. <paramref name="progress"/> receives the fraction of the audio done, as each
    /// stretch of speech between silences is decoded. Throws <see cref="Processing.MediaProcessingException"/>.
    /// </summary>
    Task<EngineTranscript> TranscribeAsync(string wavPath, TimeSpan duration, string? language, IProgress<double> progress, CancellationToken cancellationToken = default);
}
