using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Transcriptions.GetSubtitles;

/// <summary>A job's transcription as a caption file.</summary>
public sealed record GetSubtitlesQuery(Guid JobId, SubtitleFormat Format = SubtitleFormat.Vtt) : IQuery<Result<string>>;
