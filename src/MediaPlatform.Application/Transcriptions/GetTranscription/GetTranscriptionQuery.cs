using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Transcriptions.GetTranscription;

/// <summary>A transcription as it is now, or as it was at <paramref name="Revision"/> (1 is the engine's output).</summary>
public sealed record GetTranscriptionQuery(Guid TranscriptionId, int? Revision = null) : IQuery<Result<TranscriptionDto>>;
