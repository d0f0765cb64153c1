namespace MediaPlatform.Application.Processing.Chunking;

/// <summary>
/// Where to cut a recording so its parts can be decoded at once: about every <c>chunkSeconds</c> (the last two parts
/// share what is left evenly), in the middle of the
/// silence nearest to that point (so no word is cut), and only inside speech when a stretch of 1.5 x chunkSeconds has
/// no silence at all. The parts are contiguous, cover the whole recording and never overlap, so merging them back
/// neither duplicates nor loses a word.
/// </summary>
public static class ChunkPlanner
{
    /// <summary>The last part may run this much over the target rather than leave a sliver of audio on its own.</summary>
    public const double TailAllowance = 1.25;

    /// <summary>A cut is looked for between half and one and a half targets from the start of the part.</summary>
    public const double Window = 0.5;

    public static IReadOnlyList<AudioSpan> Plan(double duration, IReadOnlyList<AudioSpan> silences, double chunkSeconds)
    {
        ArgumentNullException.ThrowIfNull(silences);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSeconds);
        if (!(duration > 0))
        {
            return [new AudioSpan(0, Math.Max(duration, 0))];
        }

        var spans = new List<AudioSpan>();
        var start = 0.0;
        while (duration - start > chunkSeconds * TailAllowance)
        {
            // Near the end, the rest is halved rather than leaving a short last part.
            var rest = duration - start;
            var ideal = start + (rest < 2 * chunkSeconds ? rest / 2 : chunkSeconds);
            var low = start + (chunkSeconds * (1 - Window));
            var high = Math.Min(start + (chunkSeconds * (1 + Window)), duration);
            var cut = ideal;
            var best = double.MaxValue;
            foreach (var silence in silences)
            {
                var middle = silence.Middle;
                if (middle <= low || middle >= high)
                {
                    continue;
                }

                // Nearest to the target; a longer silence wins a tie (a surer gap between words).
                var distance = Math.Abs(middle - ideal) - (silence.Duration * 1e-6);
                if (distance < best)
                {
                    best = distance;
                    cut = middle;
                }
            }

            cut = Math.Round(cut, 3); // milliseconds, so merged times (kept to the millisecond) stay inside their part
            spans.Add(new AudioSpan(start, cut));
            start = cut;
        }

        spans.Add(new AudioSpan(start, duration));
        return spans;
    }
}
