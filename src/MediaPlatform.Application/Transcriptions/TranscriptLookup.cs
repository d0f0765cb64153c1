using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Transcriptions;

/// <summary>A job's transcription, or why there is none: the job does not exist (404 job), or it has no transcript yet (404 transcription).</summary>
internal static class TranscriptLookup
{
    public static async Task<Result<Transcription>> OfJobAsync(
        IJobRepository jobs, ITranscriptionRepository transcriptions, JobId jobId, CancellationToken cancellationToken)
    {
        if (await transcriptions.GetByJobAsync(jobId, cancellationToken) is { } transcription)
        {
            return transcription;
        }

        return await jobs.ReadAsync(jobId, cancellationToken) is null ? JobErrors.NotFound(jobId) : TranscriptionErrors.NotFoundForJob(jobId);
    }
}
