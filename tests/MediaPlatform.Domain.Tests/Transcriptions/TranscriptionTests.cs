using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Domain.Tests.Transcriptions;

public sealed class TranscriptionTests
{
    private static readonly DateTimeOffset _now = new(2026, 1, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Text_word_count_and_confidence_are_derived_from_the_segments()
    {
        Segment[] segments =
        [
            new(0, 1, " go ", 0.5, [new Word("go", 0, 1, 0.5)]),
            new(1, 2, "", 0, []),
            new(2, 3, "now", 1, [new Word("now", 2, 3, 1)]),
        ];

        var transcription = Create(segments).Value;

        Assert.Equal("go now", transcription.Text);
        Assert.Equal(2, transcription.WordCount);
        Assert.Equal(0.75, transcription.Confidence);
    }

    [Fact]
    public void Nothing_recognised_has_no_confidence()
    {
        var transcription = Create([]).Value;

        Assert.Equal(string.Empty, transcription.Text);
        Assert.Null(transcription.Confidence);
    }

    [Fact]
    public void Overlapping_segments_are_refused()
    {
        var result = Create([new(0, 2, "a", 1, []), new(1, 3, "b", 1, [])]);

        Assert.Equal("transcription.segment_invalid", result.Error?.Code);
        Assert.Contains("Segment 1", result.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 1, 0.5)]
    [InlineData(2, 1, 0.5)]
    [InlineData(0, 1, 1.5)]
    public void A_segment_must_be_an_interval_with_a_confidence_in_range(double start, double end, double confidence) =>
        Assert.Equal("transcription.segment_invalid", Create([new(start, end, "a", confidence, [])]).Error?.Code);

    private static Domain.Common.Result<Transcription> Create(IReadOnlyList<Segment> segments) =>
        Transcription.Create(JobId.New(), MediaAssetId.New(), "en", "pocketsphinx", "en-us", segments, _now);
}
