namespace MediaPlatform.Application.Abstractions;

/// <summary>
/// What a job tells the engine beyond the audio, for the work running on its behalf (flows with the async context
/// through chunked decoding): the custom vocabulary. Engines read <see cref="Vocabulary"/>; the transcribe step sets it.
/// The OpenAI-compatible engine sends it as the prompt; the offline engine adds the words its dictionary lacks (docs/adr/0024).
/// </summary>
public static class TranscriptionHints
{
    private static readonly AsyncLocal<IReadOnlyList<string>?> Current = new();

    /// <summary>The job's custom vocabulary (terms of one or more words), empty without.</summary>
    public static IReadOnlyList<string> Vocabulary => Current.Value ?? [];

    /// <summary>Sets the vocabulary for the work started inside the returned scope.</summary>
    public static IDisposable Use(IReadOnlyList<string> vocabulary)
    {
        var previous = Current.Value;
        Current.Value = vocabulary;
        return new Restore(previous);
    }

    private sealed class Restore(IReadOnlyList<string>? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
