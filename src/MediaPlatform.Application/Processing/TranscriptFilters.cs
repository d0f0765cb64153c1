using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Processing;

/// <summary>
/// The job's transcript options applied to what the engine heard, before anything is stored: the transcript moved
/// to the media's own times when only a range was transcribed, fillers (um, uh, er...) dropped unless
/// <c>disfluencies</c>, and profanity masked to its first letter and asterisks with <c>filterProfanity</c>.
/// Segments left without words are dropped.
/// </summary>
public static class TranscriptFilters
{
    private static readonly HashSet<string> Fillers = new(StringComparer.Ordinal)
    {
        "um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "hmm", "hm", "mm", "mhm",
    };

    /// <summary>A short list of English profanity (whole words, any case); the engine's dictionary has these spellings.</summary>
    private static readonly HashSet<string> Profanity = new(StringComparer.Ordinal)
    {
        "fuck", "fucking", "fucked", "fucker", "shit", "shitty", "bullshit", "bitch", "bitches", "bastard", "asshole",
        "dick", "cunt", "piss", "pissed", "damn", "goddamn", "crap", "motherfucker", "prick", "slut", "whore", "wanker",
    };

    public static IReadOnlyList<Segment> Apply(IReadOnlyList<Segment> segments, TranscriptOptions options, double offsetSeconds = 0)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(options);
        var result = new List<Segment>(segments.Count);
        foreach (var segment in segments)
        {
            var words = segment.Words
                .Where(w => options.Disfluencies || !Fillers.Contains(Normal(w.Text)))
                .Select(w => w with
                {
                    Text = options.FilterProfanity ? Mask(w.Text) : w.Text,
                    Start = Shift(w.Start, offsetSeconds),
                    End = Shift(w.End, offsetSeconds),
                })
                .ToList();
            var text = segment.Words.Count > 0
                ? string.Join(' ', words.Select(w => w.Text))
                : string.Join(' ', segment.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Where(t => options.Disfluencies || !Fillers.Contains(Normal(t)))
                    .Select(t => options.FilterProfanity ? Mask(t) : t));
            if (text.Length == 0 && segment.Text.Trim().Length > 0)
            {
                continue; // only fillers were heard here
            }

            result.Add(segment with
            {
                Start = Shift(segment.Start, offsetSeconds),
                End = Shift(segment.End, offsetSeconds),
                Text = text,
                Words = words,
                Confidence = words.Count > 0 && words.Count != segment.Words.Count ? Math.Round(words.Average(w => w.Confidence), 4) : segment.Confidence,
            });
        }

        return result;
    }

    private static string Mask(string word)
    {
        var normal = Normal(word);
        return Profanity.Contains(normal) ? word[0] + new string('*', word.Length - 1) : word;
    }

    private static double Shift(double seconds, double offset) => offset == 0 ? seconds : Math.Round(seconds + offset, 3);

    private static string Normal(string word) => word.Trim().Trim(',', '.', '?', '!', ';', ':', '"').ToLowerInvariant();
}
