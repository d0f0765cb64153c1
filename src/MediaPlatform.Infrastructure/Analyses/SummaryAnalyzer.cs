using System.Text.Json;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Analyses;

namespace MediaPlatform.Infrastructure.Analyses;

/// <summary>
/// Extractive summary: each segment (an utterance between silences) is a sentence, scored by the mean document
/// frequency of its content words; the best fifth (1 to 5 sentences) is kept in spoken order. Payload:
/// <c>{ "summary", "sentences": [ { "text", "start", "end" } ], "ratio" }</c>.
/// </summary>
internal sealed class SummaryAnalyzer : IAnalyzer
{
    public AnalysisKind Kind => AnalysisKind.Summary;

    public AnalyzerOutput Analyze(Domain.Transcriptions.Transcription transcription, TimeSpan mediaDuration)
    {
        ArgumentNullException.ThrowIfNull(transcription);
        var segments = transcription.Segments.Where(s => !string.IsNullOrWhiteSpace(s.Text)).ToList();
        var frequency = segments
            .SelectMany(s => TextTools.Tokens(s.Text))
            .Where(t => !TextTools.StopWords.Contains(t))
            .GroupBy(t => t)
            .ToDictionary(g => g.Key, g => g.Count());
        var keep = segments.Count == 0 ? 0 : Math.Clamp((int)Math.Ceiling(segments.Count * 0.2), 1, 5);
        var chosen = segments
            .Select((segment, index) =>
            {
                var content = TextTools.Tokens(segment.Text).Where(t => !TextTools.StopWords.Contains(t)).ToList();
                return new { segment, index, score = content.Count == 0 ? 0 : content.Sum(t => frequency[t]) / Math.Sqrt(content.Count) };
            })
            .OrderByDescending(x => x.score).ThenBy(x => x.index)
            .Take(keep)
            .OrderBy(x => x.index)
            .Select(x => new { text = x.segment.Text, start = x.segment.Start, end = x.segment.End })
            .ToList();
        var summary = string.Join(" ", chosen.Select(c => c.text));
        var ratio = transcription.Text.Length == 0 ? 0 : Math.Round((double)summary.Length / transcription.Text.Length, 3);
        return new AnalyzerOutput(JsonSerializer.Serialize(new { summary, sentences = chosen, ratio }), null);
    }
}
