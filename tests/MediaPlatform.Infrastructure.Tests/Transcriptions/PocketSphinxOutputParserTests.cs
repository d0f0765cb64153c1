using MediaPlatform.Infrastructure.Transcriptions;

namespace MediaPlatform.Infrastructure.Tests.Transcriptions;

/// <summary>The parser on the output format of pocketsphinx_continuous -time yes (the engine itself is tested end to end).</summary>
public sealed class PocketSphinxOutputParserTests
{
    private static readonly string[] _output =
    [
        "he was not an illness those young man",
        "<s> 0.000 0.060 0.999500",
        "<sil> 0.070 0.200 0.694306",
        "he 0.210 0.320 0.998701",
        "was(2) 0.330 0.540 0.999800",
        "[SPEECH] 0.980 1.100 0.535598",
        "man 2.330 2.790 0.905008",
        "</s> 2.800 3.090 1.000000",
        "",
        "<s> 4.880 5.200 0.999600",
        "</s> 5.300 5.400 1.000000",
        "himself",
        "<s> 6.000 6.100 0.999600",
        "himself 7.270 8.010 0.909545",
        "</s> 8.020 8.270 1.000000",
    ];

    [Fact]
    public void An_utterance_the_audio_ends_inside_is_kept_up_to_its_last_word()
    {
        // What the engine writes for audio that ends in speech (a range cut from a recording): no closing </s>.
        var parser = new PocketSphinxOutputParser();
        foreach (var line in new[] { "<s> 0.000 0.040 1.000300", "so 0.050 0.270 0.391524", "greatly 1.940 2.450 0.572946", "power 2.740 2.980 1.000000" })
        {
            parser.Feed(line);
        }

        var segment = Assert.Single(parser.Segments);
        Assert.Equal(("so greatly power", 0.05, 2.98), (segment.Text, segment.Start, segment.End));
        Assert.Single(parser.Segments);
    }

    [Fact]
    public void Utterances_become_segments_without_fillers_or_pronunciation_variants()
    {
        var parser = new PocketSphinxOutputParser();
        var finished = _output.Select(parser.Feed).Where(e => e is not null).ToList();

        Assert.Equal([3.09, 5.4, 8.27], finished);
        Assert.Equal(2, parser.Segments.Count);
        var first = parser.Segments[0];
        Assert.Equal("he was man", first.Text);
        Assert.Equal(["he", "was", "man"], first.Words.Select(w => w.Text));
        Assert.Equal((0.21, 2.79), (first.Start, first.End));
        Assert.Equal(Math.Round((0.998701 + 0.9998 + 0.905008) / 3, 4), first.Confidence);
        Assert.Equal((7.27, 8.01), (parser.Segments[1].Start, parser.Segments[1].End));
    }
}
