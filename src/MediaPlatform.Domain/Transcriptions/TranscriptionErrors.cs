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

    public static Error SegmentIndexInvalid(int position, string reason) =>
        Error.Validation("transcription.segment_index_invalid", $"segments[{position}].index: {reason}.");

    public static Error SpeakerUnknown(string label, IReadOnlyList<string> labels) =>
        Error.Validation("transcription.speaker_unknown", labels.Count == 0
            ? $"speakers.{label}: this transcript has no speaker labels (ask for speakerLabels on the job)."
            : $"speakers.{label}: no part of this transcript is labelled '{label}'; its labels are {string.Join(", ", labels)}.");

    public static Error RevisionNotFound(TranscriptionId id, int revision, int current) =>
        Error.NotFound("transcription.revision_not_found", $"Transcription '{id}' has revisions 1 to {current}, not {revision}.");

    public static Error RevisionStale(int current) =>
        Error.PreconditionFailed("transcription.revision_stale", $"The transcription is at revision {current}, which If-Match does not name: read it again (its ETag is \"{current}\"), then apply the edit to that.");
}
