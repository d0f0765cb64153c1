namespace MediaPlatform.Domain.Transcriptions;

/// <summary>
/// Puts corrected text on a segment's timeline: the new words that match the old ones in order (a longest common
/// subsequence, compared by letters and digits, case-insensitively) keep their times, confidence and speaker. A run of
/// new words between two matches replaces the old words between them: one for one, each takes its old word's time;
/// otherwise the run shares evenly the time of the words it replaces (or, replacing none, the pause between its
/// neighbours or the segment's edges). New words get confidence 1, as a person wrote them. Nothing is re-recognised:
/// the segment keeps its start and end.
/// </summary>
internal static class WordRetiming
{
    public static Segment Apply(Segment segment, string text)
    {
        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0)
        {
            return segment with { Text = string.Empty, Words = [] };
        }

        var old = segment.Words;
        var a = old.Select(w => Normal(w.Text)).ToArray();
        var b = tokens.Select(Normal).ToArray();
        var match = Match(a, b);

        var words = new Word?[tokens.Length];
        for (var j = 0; j < tokens.Length; j++)
        {
            if (match[j] >= 0)
            {
                words[j] = old[match[j]] with { Text = tokens[j] };
            }
        }

        for (var j = 0; j < tokens.Length;)
        {
            if (words[j] is not null)
            {
                j++;
                continue;
            }

            var k = j;
            while (k < tokens.Length && words[k] is null)
            {
                k++;
            }

            // The old words this run replaces: those between the matched neighbours.
            var firstOld = j == 0 ? 0 : match[j - 1] + 1;
            var lastOld = k == tokens.Length ? old.Count - 1 : match[k] - 1;
            var replaced = lastOld - firstOld + 1;
            if (replaced == k - j)
            {
                // One for one (corrected spellings): each new word takes the time of the word it replaces.
                for (var t = j; t < k; t++)
                {
                    var heard = old[firstOld + (t - j)];
                    words[t] = new Word(tokens[t], heard.Start, heard.End, 1, heard.Speaker ?? segment.Speaker);
                }

                j = k;
                continue;
            }

            // Otherwise the run shares evenly the time of the words it replaces, or the pause between its neighbours.
            var from = replaced > 0 ? old[firstOld].Start : j == 0 ? segment.Start : words[j - 1]!.End;
            var to = Math.Max(from, replaced > 0 ? old[lastOld].End : k == tokens.Length ? segment.End : words[k]!.Start);
            var step = (to - from) / (k - j);
            for (var t = j; t < k; t++)
            {
                words[t] = new Word(tokens[t], Round(from + (step * (t - j))), Round(from + (step * (t - j + 1))), 1, segment.Speaker);
            }

            j = k;
        }

        var retimed = words.Select(w => w!).ToList();
        return segment with
        {
            Text = string.Join(' ', tokens),
            Words = retimed,
            Confidence = Math.Round(retimed.Average(w => w.Confidence), 4),
        };
    }

    /// <summary>For each new token, the index of the old word it keeps the timing of, or -1.</summary>
    private static int[] Match(string[] a, string[] b)
    {
        var n = a.Length;
        var m = b.Length;
        var lengths = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lengths[i, j] = Same(a[i], b[j]) ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        var match = Enumerable.Repeat(-1, m).ToArray();
        for (int i = 0, j = 0; i < n && j < m;)
        {
            if (Same(a[i], b[j]))
            {
                match[j++] = i++;
            }
            else if (lengths[i + 1, j] >= lengths[i, j + 1])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return match;
    }

    private static bool Same(string a, string b) => a.Length > 0 && a == b;

    private static string Normal(string word) => new([.. word.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    private static double Round(double seconds) => Math.Round(seconds, 3);
}
