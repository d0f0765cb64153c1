using MediaPlatform.TestSupport.Media;
using Turn = MediaPlatform.TestSupport.Media.Conversations.Turn;

namespace MediaPlatform.Infrastructure.Tests.Diarization;

/// <summary>The DER scorer the diarization figures rest on, on hand-made turns (collar 0 where the arithmetic is checked).</summary>
public sealed class DiarizationErrorRateTests
{
    [Fact]
    public void A_hypothesis_with_other_names_for_the_same_turns_scores_zero()
    {
        Turn[] reference = [new("A", 0, 3), new("B", 3.5, 6), new("A", 6.5, 9)];
        Turn[] hypothesis = [new("S2", 0, 3), new("S1", 3.5, 6), new("S2", 6.5, 9)];

        Assert.Equal(0, DiarizationErrorRate.Score(reference, hypothesis, collar: 0), 3);
    }

    [Fact]
    public void One_label_for_two_speakers_confuses_the_shorter_ones_time()
    {
        Turn[] reference = [new("A", 0, 2), new("B", 2, 4)];
        Turn[] hypothesis = [new("S1", 0, 4)];

        Assert.Equal(0.5, DiarizationErrorRate.Score(reference, hypothesis, collar: 0), 3);
    }

    [Fact]
    public void Overlapped_speech_counts_once_per_speaker_and_a_single_label_there_misses_one()
    {
        // A speaks 0-4 s, B 3-6 s: 7 s of speaker time, 1 s of it overlapped. One label per frame misses B (or A) there.
        Turn[] reference = [new("A", 0, 4), new("B", 3, 6)];
        Turn[] hypothesis = [new("S1", 0, 3.5), new("S2", 3.5, 6)];

        Assert.Equal(1.0 / 7, DiarizationErrorRate.Score(reference, hypothesis, collar: 0), 3);
    }

    [Fact]
    public void Speech_found_where_nobody_speaks_is_a_false_alarm_and_silence_where_someone_does_a_miss()
    {
        Turn[] reference = [new("A", 0, 2), new("B", 4, 6)];
        Turn[] hypothesis = [new("S1", 0, 3), new("S2", 5, 6)];

        // 1 s false alarm (2-3), 1 s missed (4-5), over 4 s of speech.
        Assert.Equal(0.5, DiarizationErrorRate.Score(reference, hypothesis, collar: 0), 3);
    }

    [Fact]
    public void The_collar_leaves_the_time_around_each_reference_boundary_unscored()
    {
        Turn[] reference = [new("A", 0, 2), new("B", 2, 4)];
        Turn[] hypothesis = [new("S1", 0, 2.2), new("S2", 2.2, 4)];

        Assert.True(DiarizationErrorRate.Score(reference, hypothesis, collar: 0) > 0.04);
        Assert.Equal(0, DiarizationErrorRate.Score(reference, hypothesis), 3);
    }
}
