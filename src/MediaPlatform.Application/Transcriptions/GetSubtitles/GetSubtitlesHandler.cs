using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Transcriptions;
using MediatR;

namespace MediaPlatform.Application.Transcriptions.GetSubtitles;

internal sealed class GetSubtitlesHandler(IJobRepository jobs, ITranscriptionRepository transcriptions) : IRequestHandler<GetSubtitlesQuery, Result<string>>
{
    public async Task<Result<string>> Handle(GetSubtitlesQuery request, CancellationToken cancellationToken)
    {
        var found = await TranscriptLookup.OfJobAsync(jobs, transcriptions, new JobId(request.JobId), cancellationToken);
        return found.IsSuccess ? SubtitleWriter.Write(found.Value.DisplaySegments(), request.Format, request.Options) : found.Error!;
    }
}
