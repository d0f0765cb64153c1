using System.Text.Json;
using Mapster;
using MediaPlatform.Domain.Analyses;

namespace MediaPlatform.Application.Analyses;

/// <summary>Mapster configuration of the Analyses module.</summary>
public sealed class AnalysisMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.NewConfig<AnalysisResult, AnalysisResultDto>()
            .Map(d => d.Id, s => s.Id.Value)
            .Map(d => d.JobId, s => s.JobId.Value)
            .Map(d => d.TranscriptionId, s => s.TranscriptionId.Value)
            .Map(d => d.Payload, s => ParsePayload(s.Payload));
    }

    private static JsonElement ParsePayload(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.Clone();
    }
}
