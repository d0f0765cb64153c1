using MediaPlatform.Application.Processing;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Tests.Processing;

public sealed class TranscriptFiltersTests
{
    private static readonly Segment[] Heard =
    [
        new(0, 3, "um well damn it", 0.5, [new("um", 0, 0.5, 0.4), new("well", 0.5, 1, 0.6), new("Damn", 1, 2, 0.5), new("it", 2, 3, 0.5)]),
        new(4, 5, "uh", 0.3, [new("uh", 4, 5, 0.3)]),
    ];

    [Fact]
    public void Fillers_are_dropped_by_default_with_segments_that_were_only_fillers()
    {
        var kept = TranscriptFilters.Apply(Heard, TranscriptOptions.Default);

        Assert.Equal(["well Damn it"], kept.Select(s => s.Text));
        Assert.Equal(0.5333, kept[0].Confidence);
    }

    [Fact]
    public void Disfluencies_keep_them_and_filter_profanity_masks_to_the_first_letter()
    {
        var kept = TranscriptFilters.Apply(Heard, new TranscriptOptions(Disfluencies: true, FilterProfanity: true));

        Assert.Equal(["um well D*** it", "uh"], kept.Select(s => s.Text));
        Assert.Equal("D***", kept[0].Words[2].Text);
    }

    [Fact]
    public void A_range_moves_the_transcript_to_the_medias_times()
    {
        var moved = TranscriptFilters.Apply(Heard, TranscriptOptions.Default, offsetSeconds: 30);

        Assert.Equal((30, 33), (moved[0].Start, moved[0].End));
        Assert.Equal([30.5, 31, 32], moved[0].Words.Select(w => w.Start));
    }

    [Fact]
    public void Segments_without_word_timings_are_filtered_by_their_text()
    {
        var kept = TranscriptFilters.Apply([new Segment(0, 2, "uh this is shit", 0.7, [])], new TranscriptOptions(FilterProfanity: true));

        Assert.Equal("this is s***", Assert.Single(kept).Text);
    }
}
