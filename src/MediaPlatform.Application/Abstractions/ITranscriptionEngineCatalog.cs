namespace MediaPlatform.Application.Abstractions;

/// <summary>The configured engines and the default one.</summary>
public interface ITranscriptionEngineCatalog
{
    IReadOnlyCollection<string> Names { get; }

    /// <summary>The engine called <paramref name="name"/>, or the default when null; null when there is no such engine.</summary>
    ITranscriptionEngine? Find(string? name);
}
