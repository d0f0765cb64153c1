using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;

namespace MediaPlatform.Domain.Transcriptions;

/// <summary>The expected failures of the transcription aggregate.</summary>
public static class TranscriptionErrors
{
    public static Error NotFound(TranscriptionId id) =>
        Error.NotFound("transcription.not_found", $"Transcription '{id}' does not exist.");

    public static Error NotFoundForJob(JobId id) =>
        Error.NotFound("transcription.not_found", $"Job '{id}' has no transcription (yet).");

    public static Error SegmentInvalid(int index, string reason) =>
        Error.Validation("transcription.segment_invalid", $"Segment {index} is invalid: {reason}.");
}
