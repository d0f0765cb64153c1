using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Domain.Tests.Transcriptions;

public sealed class TranscriptionEditTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Created.AddHours(1);

    private static readonly Dictionary<string, string?> NoNames = [];

    [Fact]
    public void A_corrected_word_takes_the_time_of_the_word_it_replaces_and_the_others_keep_theirs()
    {
        var transcription = Heard(new Segment(1, 4, "the quick brow fox", 0.8,
            [new("the", 1, 1.5, 0.9), new("quick", 1.5, 2, 0.8), new("brow", 2.2, 2.9, 0.4), new("fox", 3, 4, 0.9)]));

        var previous = transcription.Edit([new SegmentEdit(0, "The quick brown fox")], NoNames, Later).Value;

        var words = transcription.Segments[0].Words;
        Assert.Equal(["The", "quick", "brown", "fox"], words.Select(w => w.Text));
        Assert.Equal([(1, 1.5), (1.5, 2), (2.2, 2.9), (3, 4)], words.Select(w => (w.Start, w.End)));
        Assert.Equal([0.9, 0.8, 1, 0.9], words.Select(w => w.Confidence));
        Assert.Equal("The quick brown fox", transcription.Text);
        Assert.Equal((2, Later), (transcription.Revision, transcription.EditedAt!.Value));
        Assert.Equal((1, "the quick brow fox", Created), (previous.Revision, previous.Text, previous.CreatedAt));
        Assert.Equal("brow", previous.Segments[0].Words[2].Text);
    }

    [Fact]
    public void Words_that_replace_a_different_number_share_the_time_of_the_words_they_replace()
    {
        var transcription = Heard(new Segment(0, 6, "one two three", 0.5,
            [new("one", 0, 1, 0.5), new("two", 2, 3, 0.5), new("three", 5, 6, 0.5)]));

        transcription.Edit([new SegmentEdit(0, "one and a half three")], NoNames, Later);

        var words = transcription.Segments[0].Words;
        Assert.Equal(["one", "and", "a", "half", "three"], words.Select(w => w.Text));
        Assert.Equal([(0, 1), (2, 2.333), (2.333, 2.667), (2.667, 3), (5, 6)], words.Select(w => (w.Start, w.End)));
        Assert.Equal((0, 6), (transcription.Segments[0].Start, transcription.Segments[0].End));
        Assert.Equal(5, transcription.WordCount);
    }

    [Fact]
    public void Inserted_words_share_the_pause_between_their_neighbours_and_removed_words_go()
    {
        var transcription = Heard(new Segment(0, 7, "one two three", 0.5,
            [new("one", 0, 1, 0.5), new("two", 2, 3, 0.5), new("three", 5, 6, 0.5)]));

        transcription.Edit([new SegmentEdit(0, "one three and so on")], NoNames, Later);

        var words = transcription.Segments[0].Words;
        Assert.Equal([(0, 1), (5, 6), (6, 6.333), (6.333, 6.667), (6.667, 7)], words.Select(w => (w.Start, w.End)));
    }

    [Fact]
    public void An_empty_text_removes_the_segments_words()
    {
        var transcription = Heard(new Segment(0, 1, "um", 0.3, [new("um", 0, 1, 0.3)]), new Segment(2, 3, "yes", 1, [new("yes", 2, 3, 1)]));

        transcription.Edit([new SegmentEdit(0, "  ")], NoNames, Later);

        Assert.Equal(("yes", 1, 1.0), (transcription.Text, transcription.WordCount, transcription.Confidence!.Value));
    }

    [Theory]
    [InlineData(2, "segments[0].index: 2 is not a segment")]
    [InlineData(-1, "segments[0].index: -1 is not a segment")]
    public void An_edit_of_a_segment_that_does_not_exist_changes_nothing(int index, string message)
    {
        var transcription = Heard(new Segment(0, 1, "a", 1, []), new Segment(1, 2, "b", 1, []));

        var result = transcription.Edit([new SegmentEdit(index, "x")], NoNames, Later);

        Assert.StartsWith(message, result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal((1, "a b"), (transcription.Revision, transcription.Text));
    }

    [Fact]
    public void A_segment_edited_twice_in_one_request_is_refused()
    {
        var transcription = Heard(new Segment(0, 1, "a", 1, []));

        var result = transcription.Edit([new SegmentEdit(0, "x"), new SegmentEdit(0, "y")], NoNames, Later);

        Assert.Equal("transcription.segment_index_invalid", result.Error!.Code);
        Assert.StartsWith("segments[1].index", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Speakers_are_named_renamed_and_unnamed_and_the_names_show_in_display_segments()
    {
        var transcription = Heard(
            new Segment(0, 1, "hello", 1, [new("hello", 0, 1, 1, "S1")], "S1"),
            new Segment(1, 2, "hi", 1, [new("hi", 1, 2, 1, "S2")], "S2"));

        transcription.Edit([], new Dictionary<string, string?> { ["S1"] = " Alice ", ["S2"] = "Bob" }, Later);
        transcription.Edit([], new Dictionary<string, string?> { ["S2"] = null }, Later);

        Assert.Equal(new Dictionary<string, string> { ["S1"] = "Alice" }, transcription.SpeakerNames);
        Assert.Equal(["Alice", "S2"], transcription.DisplaySegments().Select(s => s.Speaker));
        Assert.Equal("Alice", transcription.DisplaySegments()[0].Words[0].Speaker);
        Assert.Equal(["S1", "S2"], transcription.Segments.Select(s => s.Speaker));
        Assert.Equal(3, transcription.Revision);
    }

    [Fact]
    public void Naming_a_speaker_the_transcript_does_not_have_is_refused_with_the_labels_it_has()
    {
        var labelled = Heard(new Segment(0, 1, "hello", 1, [new("hello", 0, 1, 1, "S1")], "S1"));
        var unlabelled = Heard(new Segment(0, 1, "hello", 1, []));

        var unknown = labelled.Edit([], new Dictionary<string, string?> { ["S7"] = "Zed" }, Later).Error!;
        var none = unlabelled.Edit([], new Dictionary<string, string?> { ["S1"] = "Zed" }, Later).Error!;

        Assert.Equal(("transcription.speaker_unknown", "speakers.S7: no part of this transcript is labelled 'S7'; its labels are S1."), (unknown.Code, unknown.Message));
        Assert.StartsWith("speakers.S1: this transcript has no speaker labels", none.Message, StringComparison.Ordinal);
        Assert.Equal(1, labelled.Revision);
    }

    private static Transcription Heard(params Segment[] segments) =>
        Transcription.Create(JobId.New(), MediaAssetId.New(), "en", "pocketsphinx", "en-us", segments, Created).Value;
}
