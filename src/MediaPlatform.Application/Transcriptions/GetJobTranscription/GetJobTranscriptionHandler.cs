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
        var jobId = new JobId(request.JobId);
        var transcription = await transcriptions.GetByJobAsync(jobId, cancellationToken);
        if (transcription is not null)
        {
            return mapper.Map<TranscriptionDto>(transcription);
        }

        return await jobs.GetAsync(jobId, cancellationToken) is null
            ? JobErrors.NotFound(jobId)
            : TranscriptionErrors.NotFoundForJob(jobId);
    }
}
