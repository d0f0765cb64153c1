using System.Text.Json;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Analyses;

namespace MediaPlatform.Infrastructure.Analyses;

/// <summary>
/// Lexicon sentiment in the manner of VADER: words carry a valence from -3 to 3, a preceding negation ("not",
/// "never", within three words) flips and dampens it, and the sum is normalised to a compound score in [-1, 1]
/// with x / sqrt(x^2 + 15). Label: positive at >= 0.05, negative at <= -0.05, else neutral. Payload:
/// <c>{ "label", "compound", "positiveWords", "negativeWords" }</c>; the score is the compound.
/// </summary>
internal sealed class SentimentAnalyzer : IAnalyzer
{
    private static readonly Dictionary<string, int> _lexicon = Build(
        (3, "love loved wonderful excellent amazing fantastic outstanding superb brilliant delightful perfect"),
        (2, "good great happy glad pleased enjoy enjoyed beautiful nice pleasant amiable respectable kind generous friendly "
            + "success successful win won best better agreeable fortunate comfortable lovely charming admire hope hopeful grateful thank thanks"),
        (1, "fine okay ok like liked fair interesting calm safe sure helpful useful clear easy welcome prudent worthy"),
        (-1, "cold hard difficult problem problems worry worried unfortunately doubt tired boring slow odd strange lose lost"),
        (-2, "bad sad angry poor wrong fail failed failure selfish ill unhappy afraid fear hurt pain sorry disappointed "
             + "trouble annoying ugly rude weak dislike unpleasant"),
        (-3, "terrible awful horrible hate hated disaster worst disgusting miserable tragic evil"));

    private static readonly HashSet<string> _negations = new(["not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot", "don't", "isn't", "wasn't", "didn't"], StringComparer.Ordinal);

    public AnalysisKind Kind => AnalysisKind.Sentiment;

    public AnalyzerOutput Analyze(Domain.Transcriptions.Transcription transcription, TimeSpan mediaDuration)
    {
        ArgumentNullException.ThrowIfNull(transcription);
        double sum = 0;
        int positive = 0, negative = 0;
        foreach (var segment in transcription.Segments)
        {
            var tokens = TextTools.Tokens(segment.Text);
            for (var i = 0; i < tokens.Count; i++)
            {
                if (!_lexicon.TryGetValue(tokens[i], out var valence))
                {
                    continue;
                }

                var negated = Enumerable.Range(Math.Max(0, i - 3), i - Math.Max(0, i - 3)).Any(j => _negations.Contains(tokens[j]));
                var value = negated ? -0.74 * valence : valence;
                sum += value;
                if (value > 0)
                {
                    positive++;
                }
                else
                {
                    negative++;
                }
            }
        }

        var compound = Math.Round(sum / Math.Sqrt((sum * sum) + 15), 4);
        var label = compound >= 0.05 ? "positive" : compound <= -0.05 ? "negative" : "neutral";
        return new AnalyzerOutput(
            JsonSerializer.Serialize(new { label, compound, positiveWords = positive, negativeWords = negative }),
            (decimal)compound);
    }

    private static Dictionary<string, int> Build(params (int Valence, string Words)[] groups) =>
        groups.SelectMany(g => g.Words.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => (w, g.Valence)))
            .ToDictionary(x => x.w, x => x.Valence, StringComparer.Ordinal);
}
