namespace MediaPlatform.Application.Abstractions;

/// <summary>An analysis result: a JSON object and, where the kind has one, a headline score.</summary>
public sealed record AnalyzerOutput(string PayloadJson, decimal? Score);
