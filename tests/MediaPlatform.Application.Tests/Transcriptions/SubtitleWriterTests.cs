using MediaPlatform.Application.Transcriptions;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Tests.Transcriptions;

public sealed class SubtitleWriterTests
{
    private static readonly Segment[] _segments =
    [
        new(0.5, 1.25, "hello world", 0.9, [new Word("hello", 0.5, 0.8, 0.9), new Word("world", 0.9, 1.25, 0.9)]),
        new(3661.0, 3662.5, "an hour later", 0.8, []),
    ];

    [Fact]
    public void WebVTT_has_its_header_and_dotted_milliseconds()
    {
        var vtt = SubtitleWriter.Write(_segments, SubtitleFormat.Vtt);

        Assert.Equal(
            "WEBVTT\n\n00:00:00.500 --> 00:00:01.250\nhello world\n\n01:01:01.000 --> 01:01:02.500\nan hour later\n\n",
            vtt);
    }

    [Fact]
    public void WebVTT_tags_each_cue_with_its_speakers_voice_and_escapes_markup_in_text()
    {
        Segment[] conversation =
        [
            new(0, 2, "hi <there> & you", 0.9,
                [new Word("hi", 0, 0.4, 0.9, "Alice"), new Word("<there>", 0.5, 1, 0.9, "Alice"), new Word("&", 1.1, 1.2, 0.9, "Bob"), new Word("you", 1.3, 2, 0.9, "Bob")]),
        ];

        var vtt = SubtitleWriter.Write(conversation, SubtitleFormat.Vtt);
        var srt = SubtitleWriter.Write(conversation, SubtitleFormat.Srt);

        Assert.Equal("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Alice>hi &lt;there&gt;\n\n00:00:01.100 --> 00:00:02.000\n<v Bob>&amp; you\n\n", vtt);
        Assert.Equal("1\n00:00:00,000 --> 00:00:01,000\nhi <there>\n\n2\n00:00:01,100 --> 00:00:02,000\n& you\n\n", srt);
    }

    [Fact]
    public void SubRip_numbers_its_cues_and_uses_comma_milliseconds()
    {
        var srt = SubtitleWriter.Write(_segments, SubtitleFormat.Srt);

        Assert.Equal(
            "1\n00:00:00,500 --> 00:00:01,250\nhello world\n\n2\n01:01:01,000 --> 01:01:02,500\nan hour later\n\n",
            srt);
    }

    [Fact]
    public void A_long_segment_is_split_at_words_into_short_cues()
    {
        var words = Enumerable.Range(0, 40).Select(i => new Word($"word{i:00}", i * 0.5, (i * 0.5) + 0.4, 1)).ToList();
        var segment = new Segment(0, 19.9, string.Join(' ', words.Select(w => w.Text)), 1, words);

        var cues = SubtitleWriter.Write([segment], SubtitleFormat.Srt).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.True(cues.Length >= 3);
        Assert.All(cues, cue => Assert.True(cue.Split('\n')[2].Length <= CaptionOptions.DefaultChars));
        Assert.Equal(40, cues.Sum(cue => cue.Split('\n')[2].Split(' ').Length));
    }
}
