using System.ComponentModel.DataAnnotations;

namespace MediaPlatform.Infrastructure.Speech;

/// <summary>The <c>Transcription</c> configuration section: the engines and the default one.</summary>
public sealed class TranscriptionOptions
{
    public const string SectionName = "Transcription";

    /// <summary>The engine a job gets when it names none: <c>pocketsphinx</c> or <c>openai</c>.</summary>
    [Required]
    public string DefaultEngine { get; set; } = "pocketsphinx";

    public PocketSphinxOptions PocketSphinx { get; set; } = new();

    public OpenAiEngineOptions OpenAi { get; set; } = new();
}
