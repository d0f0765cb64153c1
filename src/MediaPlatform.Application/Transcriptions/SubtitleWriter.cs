using System.Globalization;
using System.Text;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Transcriptions;

/// <summary>
/// Turns segments into captions: one cue per segment, split at word boundaries (by the words' own timings) so that
/// no cue is longer than <see cref="MaxCueCharacters"/> characters or <see cref="MaxCueSeconds"/> seconds.
/// </summary>
public static class SubtitleWriter
{
    public const int MaxCueCharacters = 84;
    public const double MaxCueSeconds = 7;

    public static string Write(IReadOnlyList<Segment> segments, SubtitleFormat format)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var text = new StringBuilder();
        if (format == SubtitleFormat.Vtt)
        {
            text.Append("WEBVTT\n\n");
        }

        var number = 0;
        foreach (var (start, end, caption) in Cues(segments))
        {
            number++;
            if (format == SubtitleFormat.Srt)
            {
                text.Append(number.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }

            text.Append(Time(start, format)).Append(" --> ").Append(Time(end, format)).Append('\n')
                .Append(caption).Append("\n\n");
        }

        return text.ToString();
    }

    private static IEnumerable<(double Start, double End, string Text)> Cues(IReadOnlyList<Segment> segments)
    {
        foreach (var segment in segments.Where(s => !string.IsNullOrWhiteSpace(s.Text)))
        {
            if (segment.Words.Count == 0)
            {
                yield return (segment.Start, segment.End, segment.Text.Trim());
                continue;
            }

            var cue = new List<Word>();
            foreach (var word in segment.Words)
            {
                var length = cue.Sum(w => w.Text.Length + 1) + word.Text.Length;
                if (cue.Count > 0 && (length > MaxCueCharacters || word.End - cue[0].Start > MaxCueSeconds))
                {
                    yield return (cue[0].Start, cue[^1].End, string.Join(' ', cue.Select(w => w.Text)));
                    cue.Clear();
                }

                cue.Add(word);
            }

            yield return (cue[0].Start, cue[^1].End, string.Join(' ', cue.Select(w => w.Text)));
        }
    }

    private static string Time(double seconds, SubtitleFormat format)
    {
        var time = TimeSpan.FromMilliseconds(Math.Round(Math.Max(seconds, 0) * 1000));
        var separator = format == SubtitleFormat.Srt ? ',' : '.';
        return string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours:00}:{time.Minutes:00}:{time.Seconds:00}{separator}{time.Milliseconds:000}");
    }
}
