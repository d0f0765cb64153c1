using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Transcriptions.GetJobTranscription;

/// <summary>The transcription a job produced; 404 when the job is unknown or has none yet.</summary>
public sealed record GetJobTranscriptionQuery(Guid JobId) : IQuery<Result<TranscriptionDto>>;
