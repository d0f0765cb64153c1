using MapsterMapper;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Transcriptions;
using MediatR;

namespace MediaPlatform.Application.Transcriptions.GetTranscription;

internal sealed class GetTranscriptionHandler(ITranscriptionRepository transcriptions, IMapper mapper)
    : IRequestHandler<GetTranscriptionQuery, Result<TranscriptionDto>>
{
    public async Task<Result<TranscriptionDto>> Handle(GetTranscriptionQuery request, CancellationToken cancellationToken)
    {
        var id = new TranscriptionId(request.TranscriptionId);
        var transcription = await transcriptions.GetAsync(id, cancellationToken);
        if (transcription is null)
        {
            return TranscriptionErrors.NotFound(id);
        }

        var current = mapper.Map<TranscriptionDto>(transcription);
        if (request.Revision is not { } wanted || wanted == transcription.Revision)
        {
            return current;
        }

        var revision = wanted is > 0 && wanted < transcription.Revision
            ? await transcriptions.GetRevisionAsync(id, wanted, cancellationToken)
            : null;
        return revision is null
            ? TranscriptionErrors.RevisionNotFound(id, wanted, transcription.Revision)
            : current with
            {
                Revision = revision.Revision,
                Text = revision.Text,
                Segments = mapper.Map<IReadOnlyList<SegmentDto>>(revision.Segments),
                Speakers = revision.SpeakerNames,
                Confidence = revision.Confidence,
                WordCount = revision.WordCount,
                EditedAt = revision.Revision == 1 ? null : revision.CreatedAt,
            };
    }
}
