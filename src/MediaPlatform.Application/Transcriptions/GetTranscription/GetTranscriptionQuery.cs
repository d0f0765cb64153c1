using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Transcriptions.GetTranscription;

public sealed record GetTranscriptionQuery(Guid TranscriptionId) : IQuery<Result<TranscriptionDto>>;
