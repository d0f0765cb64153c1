using System.Text.Json;
using MediaPlatform.Domain.Analyses;

namespace MediaPlatform.Application.Analyses;

/// <summary>One analysis of a transcription; the payload's shape depends on the kind (see the README).</summary>
public sealed record AnalysisResultDto
{
    public Guid Id { get; init; }

    public Guid JobId { get; init; }

    public Guid TranscriptionId { get; init; }

    public AnalysisKind Kind { get; init; }

    public JsonElement Payload { get; init; }

    public decimal? Score { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
