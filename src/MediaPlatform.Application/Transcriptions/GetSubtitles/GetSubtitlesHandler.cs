using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Transcriptions;
using MediatR;

namespace MediaPlatform.Application.Transcriptions.GetSubtitles;

internal sealed class GetSubtitlesHandler(IJobRepository jobs, ITranscriptionRepository transcriptions) : IRequestHandler<GetSubtitlesQuery, Result<string>>
{
    public async Task<Result<string>> Handle(GetSubtitlesQuery request, CancellationToken cancellationToken)
    {
        var jobId = new JobId(request.JobId);
        var transcription = await transcriptions.GetByJobAsync(jobId, cancellationToken);
        if (transcription is not null)
        {
            return SubtitleWriter.Write(transcription.Segments, request.Format, request.Options);
        }

        return await jobs.ReadAsync(jobId, cancellationToken) is null
            ? JobErrors.NotFound(jobId)
            : TranscriptionErrors.NotFoundForJob(jobId);
    }
}
