using System.Globalization;
using System.Text;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Transcriptions;

/// <summary>Transcript export formats: plain text in paragraphs, tab-separated segments, the JSON document, captions.</summary>
public enum ExportFormat
{
    Txt,
    Tsv,
    Json,
    Srt,
    Vtt,
}

/// <summary>
/// The text exports of a transcript. Paragraphs are built from the engine's segments and the pauses between them
/// (the engine writes no punctuation to split on): a pause of <see cref="ParagraphPauseSeconds"/> or more starts a new
/// paragraph, and so do reaching <see cref="ParagraphMaxWords"/> words and a change of speaker; in the text export a
/// paragraph whose speaker is known starts with the speaker's name (or label) and a colon.
/// </summary>
public static class TranscriptExporter
{
    public const double ParagraphPauseSeconds = 1.5;
    public const int ParagraphMaxWords = 120;

    /// <summary>Plain text, one paragraph per block; with <paramref name="timestamps"/>, each starts with [hh:mm:ss].</summary>
    public static string Text(IReadOnlyList<Segment> segments, bool timestamps)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var text = new StringBuilder();
        foreach (var paragraph in Paragraphs(segments))
        {
            if (timestamps)
            {
                var start = TimeSpan.FromSeconds(Math.Max(0, paragraph[0].Start));
                text.Append(string.Create(CultureInfo.InvariantCulture, $"[{(int)start.TotalHours:00}:{start.Minutes:00}:{start.Seconds:00}] "));
            }

            if (paragraph[0].Speaker is { } speaker)
            {
                text.Append(speaker).Append(": ");
            }

            text.Append(string.Join(' ', paragraph.Select(s => s.Text.Trim()))).Append("\n\n");
        }

        return text.ToString();
    }

    /// <summary>As whisper's command line writes .tsv: a header, then start and end in whole milliseconds and the text per segment.</summary>
    public static string Tsv(IReadOnlyList<Segment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var text = new StringBuilder("start\tend\ttext\n");
        foreach (var segment in segments.Where(s => !string.IsNullOrWhiteSpace(s.Text)))
        {
            text.Append(Milliseconds(segment.Start)).Append('\t').Append(Milliseconds(segment.End)).Append('\t')
                .Append(segment.Text.Trim().Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ')).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The segments with text, grouped into paragraphs at long pauses (or every <see cref="ParagraphMaxWords"/> words).</summary>
    public static IReadOnlyList<IReadOnlyList<Segment>> Paragraphs(IReadOnlyList<Segment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var paragraphs = new List<IReadOnlyList<Segment>>();
        var current = new List<Segment>();
        var words = 0;
        foreach (var segment in segments.Where(s => !string.IsNullOrWhiteSpace(s.Text)))
        {
            var count = segment.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
            if (current.Count > 0 && (segment.Start - current[^1].End >= ParagraphPauseSeconds || words + count > ParagraphMaxWords
                                      || segment.Speaker != current[^1].Speaker))
            {
                paragraphs.Add(current);
                current = [];
                words = 0;
            }

            current.Add(segment);
            words += count;
        }

        if (current.Count > 0)
        {
            paragraphs.Add(current);
        }

        return paragraphs;
    }

    private static string Milliseconds(double seconds) => ((long)Math.Round(Math.Max(0, seconds) * 1000)).ToString(CultureInfo.InvariantCulture);
}
