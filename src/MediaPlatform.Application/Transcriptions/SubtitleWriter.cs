using System.Globalization;
using System.Text;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Transcriptions;

/// <summary>
/// How captions are cut: at most <see cref="CharsPerCaption"/> characters of text per cue (its lines' words and the
/// spaces between them; a line break is not a character), set on at most <see cref="MaxLinesPerCue"/> lines, and at most <see cref="MaxCueSeconds"/> long.
/// </summary>
public sealed record CaptionOptions(int CharsPerCaption = CaptionOptions.DefaultChars, int MaxLinesPerCue = 1, double MaxCueSeconds = CaptionOptions.DefaultSeconds)
{
    public const int DefaultChars = 84;
    public const double DefaultSeconds = 7;
    public const int MinChars = 10;
    public const int MaxChars = 200;
    public const int MaxLines = 3;
    public const double MinSeconds = 1;
    public const double MaxSeconds = 30;

    public static CaptionOptions Default { get; } = new();

    /// <summary>The longest line: the cue's characters shared evenly by its lines.</summary>
    public int CharsPerLine => (int)Math.Ceiling(CharsPerCaption / (double)MaxLinesPerCue);
}

/// <summary>One caption: its time, its lines, the words it shows, and who says them once speakers are known.</summary>
public sealed record Cue(double Start, double End, IReadOnlyList<string> Lines, IReadOnlyList<Word> Words, string? Speaker = null)
{
    public string Text => string.Join(' ', Words.Select(w => w.Text));
}

/// <summary>
/// Turns segments into captions: each segment's words, in order, cut at word boundaries (by the words' own timings)
/// into cues within the <see cref="CaptionOptions"/>; a cue never spans two segments or two speakers. A single word
/// longer than a line (or than a cue's time) still gets a cue of its own: words are never split. In WebVTT a cue with
/// a known speaker starts with a voice tag (<c>&lt;v Alice&gt;</c>), and text is escaped (&amp;, &lt;, &gt;).
/// </summary>
public static class SubtitleWriter
{
    public static string Write(IReadOnlyList<Segment> segments, SubtitleFormat format, CaptionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var text = new StringBuilder();
        if (format == SubtitleFormat.Vtt)
        {
            text.Append("WEBVTT\n\n");
        }

        var number = 0;
        foreach (var cue in Cues(segments, options ?? CaptionOptions.Default))
        {
            number++;
            if (format == SubtitleFormat.Srt)
            {
                text.Append(number.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            text.Append(Time(cue.Start, format)).Append(" --> ").Append(Time(cue.End, format)).Append('\n');
            if (format == SubtitleFormat.Vtt)
            {
                if (cue.Speaker is { } speaker)
                {
                    text.Append("<v ").Append(Escape(speaker).Replace('\n', ' ')).Append('>');
                }

                text.Append(string.Join('\n', cue.Lines.Select(Escape)));
            }
            else
            {
                text.Append(string.Join('\n', cue.Lines));
            }

            text.Append("\n\n");
        }

        return text.ToString();
    }

    public static IEnumerable<Cue> Cues(IReadOnlyList<Segment> segments, CaptionOptions options)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var segment in segments.Where(s => !string.IsNullOrWhiteSpace(s.Text)))
        {
            if (segment.Words.Count == 0)
            {
                var text = segment.Text.Trim();
                yield return new Cue(segment.Start, segment.End, [text], [new Word(text, segment.Start, segment.End, segment.Confidence, segment.Speaker)], segment.Speaker);
                continue;
            }

            var words = new List<Word>();
            var lines = new List<StringBuilder>();
            var characters = 0;
            foreach (var word in segment.Words)
            {
                if (words.Count > 0)
                {
                    var newLine = lines[^1].Length + 1 + word.Text.Length > options.CharsPerLine;
                    if (characters + (newLine ? 0 : 1) + word.Text.Length > options.CharsPerCaption
                        || word.End - words[0].Start > options.MaxCueSeconds
                        || (newLine && lines.Count == options.MaxLinesPerCue)
                        || (word.Speaker ?? segment.Speaker) != (words[0].Speaker ?? segment.Speaker))
                    {
                        yield return Emit(words, lines, segment.Speaker);
                        words = [];
                        lines = [];
                        characters = 0;
                    }
                    else if (newLine)
                    {
                        lines.Add(new StringBuilder());
                    }
                }

                if (lines.Count == 0)
                {
                    lines.Add(new StringBuilder());
                }

                if (lines[^1].Length > 0)
                {
                    lines[^1].Append(' ');
                    characters++;
                }

                lines[^1].Append(word.Text);
                characters += word.Text.Length;
                words.Add(word);
            }

            yield return Emit(words, lines, segment.Speaker);
        }
    }

    private static Cue Emit(List<Word> words, List<StringBuilder> lines, string? segmentSpeaker) =>
        new(words[0].Start, Math.Max(words[0].Start, words[^1].End), [.. lines.Select(l => l.ToString())], [.. words], words[0].Speaker ?? segmentSpeaker);

    /// <summary>WebVTT cue text: the three characters that would start markup or an entity.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Time(double seconds, SubtitleFormat format)
    {
        var time = TimeSpan.FromMilliseconds(Math.Round(Math.Max(seconds, 0) * 1000));
        var separator = format == SubtitleFormat.Srt ? ',' : '.';
        return string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours:00}:{time.Minutes:00}:{time.Seconds:00}{separator}{time.Milliseconds:000}");
    }
}
