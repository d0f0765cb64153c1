using CsCheck;
using MediaPlatform.Application.Transcriptions;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Tests.Transcriptions;

/// <summary>Captions cut with any allowed controls, over any transcript an engine could write.</summary>
public sealed class CaptionPropertyTests
{
    /// <summary>
    /// Ordered segments of ordered words (1 to 18 letters, 0.05 to 1.5 s each, pauses of up to 3 s), each word said by
    /// S1 or S2 or by nobody known.
    /// </summary>
    private static readonly Gen<Segment[]> Transcripts =
        Gen.Select(Gen.Int[1, 18], Gen.Double[0.05, 1.5], Gen.Double[0, 3], Gen.Int[0, 2]).Array[1, 40].Array[1, 8].Select(segments =>
        {
            var time = 0.0;
            return segments.Select(words =>
            {
                var placed = words.Select(w =>
                {
                    var start = time + w.Item3 / 4;
                    time = start + w.Item2;
                    return new Word(new string('w', w.Item1), Math.Round(start, 3), Math.Round(time, 3), 0.9, w.Item4 == 0 ? null : $"S{w.Item4}");
                }).ToList();
                time += 0.5;
                return new Segment(placed[0].Start, placed[^1].End, string.Join(' ', placed.Select(p => p.Text)), 0.9, placed);
            }).ToArray();
        });

    private static readonly Gen<CaptionOptions> Options =
        Gen.Select(Gen.Int[CaptionOptions.MinChars, CaptionOptions.MaxChars], Gen.Int[1, CaptionOptions.MaxLines], Gen.Double[CaptionOptions.MinSeconds, CaptionOptions.MaxSeconds])
            .Select(o => new CaptionOptions(o.Item1, o.Item2, o.Item3));

    [Fact]
    public void Every_word_is_in_exactly_one_cue_in_its_order() =>
        Gen.Select(Transcripts, Options).Sample((segments, options) =>
        {
            var cues = SubtitleWriter.Cues(segments, options).ToList();

            Assert.Equal(segments.SelectMany(s => s.Words), cues.SelectMany(c => c.Words));
            Assert.All(cues, c => Assert.Equal(c.Text, string.Join(' ', c.Lines)));
        }, iter: 1000);

    [Fact]
    public void No_cue_is_longer_than_its_limits_unless_it_is_one_word() =>
        Gen.Select(Transcripts, Options).Sample((segments, options) =>
        {
            foreach (var cue in SubtitleWriter.Cues(segments, options))
            {
                Assert.InRange(cue.Lines.Count, 1, options.MaxLinesPerCue);
                if (cue.Words.Count > 1)
                {
                    var characters = cue.Lines.Sum(l => l.Length);
                    Assert.True(characters <= options.CharsPerCaption, $"{characters} characters over {options.CharsPerCaption}");
                    Assert.True(cue.End - cue.Start <= options.MaxCueSeconds + 1e-9, $"{cue.End - cue.Start} s over {options.MaxCueSeconds}");
                }

                Assert.All(cue.Lines.Where(l => l.Contains(' ', StringComparison.Ordinal)), l => Assert.True(l.Length <= options.CharsPerLine, $"line '{l}' over {options.CharsPerLine}"));
            }
        }, iter: 1000);

    [Fact]
    public void A_cue_shows_one_speaker_who_says_all_its_words() =>
        Gen.Select(Transcripts, Options).Sample((segments, options) =>
        {
            foreach (var cue in SubtitleWriter.Cues(segments, options))
            {
                Assert.All(cue.Words, w => Assert.Equal(cue.Speaker, w.Speaker));
            }
        }, iter: 1000);

    [Fact]
    public void Cue_times_are_ordered_and_within_the_media() =>
        Gen.Select(Transcripts, Options).Sample((segments, options) =>
        {
            var cues = SubtitleWriter.Cues(segments, options).ToList();
            var duration = segments[^1].End;

            Assert.All(cues, c => Assert.InRange(c.Start, 0, c.End));
            Assert.All(cues, c => Assert.InRange(c.End, c.Start, duration));
            Assert.All(cues.Zip(cues.Skip(1)), pair => Assert.True(pair.First.End <= pair.Second.Start, $"{pair.First.End} after {pair.Second.Start}"));
        }, iter: 1000);

    [Fact]
    public void Two_lines_of_twenty_split_a_long_utterance_into_balanced_cues()
    {
        var words = Enumerable.Range(0, 12).Select(i => new Word($"word{i:00}", i * 0.4, (i * 0.4) + 0.3, 0.9)).ToList();
        var segment = new Segment(0, words[^1].End, string.Join(' ', words.Select(w => w.Text)), 0.9, words);

        var cues = SubtitleWriter.Cues([segment], new CaptionOptions(40, 2, 7)).ToList();

        // "word00 word01 word02" is 20 characters: three words a line, two lines a cue.
        Assert.Equal(2, cues.Count);
        Assert.Equal(["word00 word01 word02", "word03 word04 word05"], cues[0].Lines);
        Assert.Equal("00:00:02.400 --> 00:00:04.700\nword06 word07 word08\nword09 word10 word11",
            SubtitleWriter.Write([segment], SubtitleFormat.Vtt, new CaptionOptions(40, 2, 7)).Split("\n\n")[2]);
    }
}
