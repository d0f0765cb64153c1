using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Abstractions;

/// <summary>What an engine heard: segments with words, and which model and language it used.</summary>
public sealed record EngineTranscript(IReadOnlyList<Segment> Segments, string Model, string Language);
