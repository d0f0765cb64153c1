using System.Globalization;
using System.Text.RegularExpressions;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Infrastructure.Transcriptions;

/// <summary>
/// Reads <c>pocketsphinx_continuous -time yes</c> output line by line: per utterance a text line, then
/// <c>word start end confidence</c> lines between <c>&lt;s&gt;</c> and <c>&lt;/s&gt;</c>. Fillers (<c>&lt;sil&gt;</c>,
/// <c>[NOISE]</c>) are dropped and pronunciation variants (<c>and(2)</c>) lose their suffix.
/// </summary>
internal sealed partial class PocketSphinxOutputParser
{
    private readonly List<Segment> _segments = [];
    private List<Word>? _words;

    /// <summary>
    /// The utterances read so far. One the input ended inside (its words, without the closing <c>&lt;/s&gt;</c>: the
    /// audio ended in speech, as a range cut from a recording does) is closed at its last word, not dropped.
    /// </summary>
    public IReadOnlyList<Segment> Segments
    {
        get
        {
            if (_words is { Count: > 0 } open)
            {
                CloseUtterance(open[^1].End);
            }

            return _segments;
        }
    }

    /// <summary>Feeds one line; returns the end time of an utterance that just finished, else null.</summary>
    public double? Feed(string line)
    {
        var match = WordLine().Match(line.Trim());
        if (!match.Success)
        {
            return null; // the utterance's text line, or noise
        }

        var token = match.Groups["word"].Value;
        var start = double.Parse(match.Groups["start"].Value, CultureInfo.InvariantCulture);
        var end = double.Parse(match.Groups["end"].Value, CultureInfo.InvariantCulture);
        var confidence = Math.Clamp(double.Parse(match.Groups["conf"].Value, CultureInfo.InvariantCulture), 0, 1);
        switch (token)
        {
            case "<s>":
                _words = [];
                return null;
            case "</s>":
                return CloseUtterance(end);
        }

        if (_words is null || token.StartsWith('<') || token.StartsWith('['))
        {
            return null;
        }

        _words.Add(new Word(Variant().Replace(token, string.Empty), start, end, Math.Round(confidence, 4)));
        return null;
    }

    private double CloseUtterance(double end)
    {
        if (_words is { Count: > 0 } words)
        {
            var previousEnd = _segments.Count > 0 ? _segments[^1].End : 0;
            var start = Math.Max(words[0].Start, previousEnd);
            _segments.Add(new Segment(
                start,
                Math.Max(start, words[^1].End),
                string.Join(' ', words.Select(w => w.Text)),
                Math.Round(words.Average(w => w.Confidence), 4),
                words));
        }

        _words = null;
        return end;
    }

    [GeneratedRegex(@"^(?<word>\S+) (?<start>\d+(\.\d+)?) (?<end>\d+(\.\d+)?) (?<conf>-?\d+(\.\d+)?)$")]
    private static partial Regex WordLine();

    [GeneratedRegex(@"\(\d+\)$")]
    private static partial Regex Variant();
}
