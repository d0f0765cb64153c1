using Mapster;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Transcriptions;

/// <summary>Mapster configuration of the Transcriptions module.</summary>
public sealed class TranscriptionMappings : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.NewConfig<Word, WordDto>();
        config.NewConfig<Segment, SegmentDto>();
        config.NewConfig<RedactedSpan, RedactedSpanDto>();
        config.NewConfig<Transcription, TranscriptionDto>()
            .Map(d => d.Id, s => s.Id.Value)
            .Map(d => d.JobId, s => s.JobId.Value)
            .Map(d => d.MediaId, s => s.MediaAssetId.Value)
            .Map(d => d.Speakers, s => s.SpeakerNames);
    }
}
