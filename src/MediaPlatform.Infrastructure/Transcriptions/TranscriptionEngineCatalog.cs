using MediaPlatform.Application.Abstractions;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Transcriptions;

/// <summary>The engines registered in this process, by name; <see cref="TranscriptionOptions.DefaultEngine"/> when a job names none.</summary>
internal sealed class TranscriptionEngineCatalog(IEnumerable<ITranscriptionEngine> engines, IOptions<TranscriptionOptions> options) : ITranscriptionEngineCatalog
{
    private readonly Dictionary<string, ITranscriptionEngine> _engines = engines.ToDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Names => [.. _engines.Values.Where(e => e.IsAvailable).Select(e => e.Name)];

    public ITranscriptionEngine? Find(string? name) =>
        _engines.GetValueOrDefault(name ?? options.Value.DefaultEngine) is { IsAvailable: true } engine ? engine : null;
}
