namespace MediaPlatform.Application.Abstractions;

/// <summary>
/// An engine that can decode consecutive parts of one recording as one stream (docs/adr/0031): a run keeps one decoder
/// between parts, and a part that follows the run's last one is decoded from its cut, its lead-in skipped, with the
/// decoder's state (its running normalisation, its noise estimate) carried on from where the last part ended.
/// </summary>
public interface IContinuingTranscriptionEngine : ITranscriptionEngine
{
    /// <summary>A run with no part decoded yet; disposing it gives its decoder back.</summary>
    ITranscriptionRun StartRun();
}

/// <summary>One engine's decoder kept for consecutive parts (<see cref="IContinuingTranscriptionEngine"/>). One part at a time.</summary>
public interface ITranscriptionRun : IDisposable
{
    /// <summary>
    /// Transcribes a part as <see cref="ITranscriptionEngine.TranscribeAsync"/> does. <paramref name="follows"/> says
    /// that the file's audio after its <paramref name="leadIn"/> begins where the last part this run transcribed ended:
    /// the run then decodes only that audio, continuing, when its last part was transcribed to its end (otherwise, and
    /// without <paramref name="follows"/>, it decodes the whole file as a fresh engine does). Times are from the start
    /// of the file either way. Returns whether it continued.
    /// </summary>
    Task<(EngineTranscript Transcript, bool Continued)> TranscribeAsync(
        string wavPath, TimeSpan duration, TimeSpan leadIn, bool follows, string? language, IProgress<double> progress, CancellationToken cancellationToken = default);
}
