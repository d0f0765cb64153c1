using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Transcriptions.GetSubtitles;

/// <summary>A job's transcription as a caption file, cut by <paramref name="Options"/> (the defaults when null).</summary>
public sealed record GetSubtitlesQuery(Guid JobId, SubtitleFormat Format = SubtitleFormat.Vtt, CaptionOptions? Options = null) : IQuery<Result<string>>;
