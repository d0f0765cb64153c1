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
        return transcription is null ? TranscriptionErrors.NotFound(id) : mapper.Map<TranscriptionDto>(transcription);
    }
}
