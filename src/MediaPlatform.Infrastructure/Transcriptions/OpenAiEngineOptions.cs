namespace MediaPlatform.Infrastructure.Transcriptions;

/// <summary>
/// An OpenAI-compatible transcription server (<c>POST {BaseUrl}/v1/audio/transcriptions</c>, verbose_json), such
/// as a Whisper server the operator runs. The engine is offered only when <see cref="BaseUrl"/> is set.
/// </summary>
public sealed class OpenAiEngineOptions
{
    public string? BaseUrl { get; set; }

    public string? ApiKey { get; set; }

    public string Model { get; set; } = "whisper-1";

    public int TimeoutSeconds { get; set; } = 900;
}
