using MapsterMapper;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Transcriptions;
using MediatR;

namespace MediaPlatform.Application.Transcriptions.GetJobTranscription;

internal sealed class GetJobTranscriptionHandler(IJobRepository jobs, ITranscriptionRepository transcriptions, IMapper mapper)
    : IRequestHandler<GetJobTranscriptionQuery, Result<TranscriptionDto>>
{
    public async Task<Result<TranscriptionDto>> Handle(GetJobTranscriptionQuery request, CancellationToken cancellationToken)
    {
        var found = await TranscriptLookup.OfJobAsync(jobs, transcriptions, new JobId(request.JobId), cancellationToken);
        return found.IsSuccess ? mapper.Map<TranscriptionDto>(found.Value) : found.Error!;
    }
}
