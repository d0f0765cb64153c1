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
    /// The code of a language the engine cannot transcribe, on every surface: a submission's 400 (its job never
    /// exists), an engine's failure of a job that reached it anyway, the OpenAI-compatible endpoint's answer.
    /// </summary>
    const string LanguageUnsupportedCode = "engine.language_unsupported";

    /// <summary>
    /// Whether the engine can transcribe speech in <paramref name="language"/> (a BCP 47 tag such as <c>en-US</c>).
    /// Asked when a job is submitted, so a language the engine lacks is the caller's 400, not a failed job later.
    /// </summary>
    bool Transcribes(string language);

    /// <summary>
    /// Transcribes a 16 kHz mono WAV. <paramref name="progress"/> receives the fraction of the audio done, as each
    /// stretch of speech between silences is decoded. Throws <see cref="Processing.MediaProcessingException"/>.
    /// The first <paramref name="leadIn"/> of the audio (a part's lead-in: the audio before its cut) is there only to
    /// settle the engine: its words are not wanted, and an engine that can settle without decoding it may skip it.
    /// Times are from the start of the file either way.
    /// </summary>
    Task<EngineTranscript> TranscribeAsync(
        string wavPath, TimeSpan duration, TimeSpan leadIn, string? language, IProgress<double> progress, CancellationToken cancellationToken = default);
}
