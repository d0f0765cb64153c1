using System.Text.Json;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Analyses;

namespace MediaPlatform.Infrastructure.Analyses;

/// <summary>
/// RAKE (Rose et al., 2010): candidate phrases are runs of content words between stop words and segment breaks;
/// a word scores degree / frequency, a phrase the sum of its words. Payload:
/// <c>{ "keywords": [ { "phrase", "score", "count" } ] }</c>, best first, at most 10.
/// </summary>
internal sealed class KeywordsAnalyzer : IAnalyzer
{
    private const int MaxKeywords = 10;
    private const int MaxPhraseWords = 4;

    public AnalysisKind Kind => AnalysisKind.Keywords;

    public AnalyzerOutput Analyze(Domain.Transcriptions.Transcription transcription, TimeSpan mediaDuration)
    {
        ArgumentNullException.ThrowIfNull(transcription);
        var phrases = new List<string[]>();
        foreach (var segment in transcription.Segments)
        {
            var current = new List<string>();
            foreach (var token in TextTools.Tokens(segment.Text))
            {
                if (TextTools.StopWords.Contains(token) || token.Length < 3 || current.Count == MaxPhraseWords)
                {
                    Flush(current, phrases);
                }

                if (!TextTools.StopWords.Contains(token) && token.Length >= 3)
                {
                    current.Add(token);
                }
            }

            Flush(current, phrases);
        }

        var frequency = new Dictionary<string, int>();
        var degree = new Dictionary<string, int>();
        foreach (var phrase in phrases)
        {
            foreach (var word in phrase)
            {
                frequency[word] = frequency.GetValueOrDefault(word) + 1;
                degree[word] = degree.GetValueOrDefault(word) + phrase.Length;
            }
        }

        var keywords = phrases
            .GroupBy(p => string.Join(' ', p))
            .Select(g => new
            {
                phrase = g.Key,
                score = Math.Round(g.First().Sum(w => (double)degree[w] / frequency[w]), 3),
                count = g.Count(),
            })
            .OrderByDescending(k => k.score).ThenByDescending(k => k.count).ThenBy(k => k.phrase, StringComparer.Ordinal)
            .Take(MaxKeywords)
            .ToList();
        return new AnalyzerOutput(JsonSerializer.Serialize(new { keywords }), null);
    }

    private static void Flush(List<string> current, List<string[]> phrases)
    {
        if (current.Count > 0)
        {
            phrases.Add([.. current]);
            current.Clear();
        }
    }
}
