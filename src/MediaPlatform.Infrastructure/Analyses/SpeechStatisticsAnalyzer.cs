using System.Text.Json;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Analyses;

namespace MediaPlatform.Infrastructure.Analyses;

/// <summary>
/// Timing of the speech: speaking time (sum of segment lengths), words per minute of speaking time, silence ratio
/// (share of the media without speech) and the longest pause (including before the first and after the last
/// segment). Payload: <c>{ "durationSeconds", "speakingSeconds", "wordCount", "segmentCount", "wordsPerMinute",
/// "silenceRatio", "longestPauseSeconds", "longestPauseStart" }</c>; the score is words per minute.
/// </summary>
internal sealed class SpeechStatisticsAnalyzer : IAnalyzer
{
    public AnalysisKind Kind => AnalysisKind.SpeechStatistics;

    public AnalyzerOutput Analyze(Domain.Transcriptions.Transcription transcription, TimeSpan mediaDuration)
    {
        ArgumentNullException.ThrowIfNull(transcription);
        var segments = transcription.Segments;
        var duration = Math.Max(mediaDuration.TotalSeconds, segments.Count > 0 ? segments[^1].End : 0);
        var speaking = segments.Sum(s => s.End - s.Start);
        var wordsPerMinute = speaking > 0 ? transcription.WordCount / (speaking / 60) : 0;

        double longestPause = 0, longestPauseStart = 0, previousEnd = 0;
        foreach (var segment in segments.Append(new Domain.Transcriptions.Segment(duration, duration, string.Empty, 0, [])))
        {
            var pause = segment.Start - previousEnd;
            if (pause > longestPause)
            {
                longestPause = pause;
                longestPauseStart = previousEnd;
            }

            previousEnd = Math.Max(previousEnd, segment.End);
        }

        var payload = new
        {
            durationSeconds = Math.Round(duration, 3),
            speakingSeconds = Math.Round(speaking, 3),
            wordCount = transcription.WordCount,
            segmentCount = segments.Count,
            wordsPerMinute = Math.Round(wordsPerMinute, 1),
            silenceRatio = duration > 0 ? Math.Round(Math.Clamp(1 - (speaking / duration), 0, 1), 4) : 1,
            longestPauseSeconds = Math.Round(longestPause, 3),
            longestPauseStart = Math.Round(longestPauseStart, 3),
        };
        return new AnalyzerOutput(JsonSerializer.Serialize(payload), (decimal)payload.wordsPerMinute);
    }
}
