using System.Text.Json;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Domain.Analyses;

/// <summary>The output of one analysis of one transcription: a JSON payload whose shape the kind documents, and an optional score.</summary>
public sealed class AnalysisResult : AggregateRoot<AnalysisResultId>, ITenantOwned
{
    private AnalysisResult(AnalysisResultId id)
        : base(id)
    {
    }

    // For EF Core materialisation.
    private AnalysisResult()
        : base(default)
    {
    }

    /// <summary>The tenant that owns it; stamped by persistence, never chosen by the aggregate.</summary>
    public TenantId TenantId { get; private set; }

    public JobId JobId { get; private set; }

    public TranscriptionId TranscriptionId { get; private set; }

    public AnalysisKind Kind { get; private set; }

    /// <summary>The result as a JSON object (stored as jsonb).</summary>
    public string Payload { get; private set; } = "{}";

    /// <summary>A headline number where the kind has one (sentiment polarity, for example).</summary>
    public decimal? Score { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static Result<AnalysisResult> Create(
        JobId jobId, TranscriptionId transcriptionId, AnalysisKind kind, string payload, decimal? score, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(payload);
        try
        {
            using var document = JsonDocument.Parse(payload);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Error.Validation("analysis.payload_not_object", "An analysis payload must be a JSON object.");
            }
        }
        catch (JsonException ex)
        {
            return Error.Validation("analysis.payload_invalid", $"An analysis payload must be valid JSON: {ex.Message}");
        }

        return new AnalysisResult(AnalysisResultId.New())
        {
            JobId = jobId,
            TranscriptionId = transcriptionId,
            Kind = kind,
            Payload = payload,
            Score = score,
            CreatedAt = now,
        };
    }
}
