using CsCheck;
using MediaPlatform.Application.Processing.Chunking;

namespace MediaPlatform.Application.Tests.Processing;

public sealed class ChunkPlannerTests
{
    private const double Millisecond = 0.0005; // cuts are kept to the millisecond

    /// <summary>A recording's length, a target part length, and its silences (ordered, apart, inside it).</summary>
    private static readonly Gen<(double Duration, double Chunk, AudioSpan[] Silences)> Recordings =
        from duration in Gen.Double[0.5, 4000]
        from chunk in Gen.Double[5, 120]
        from points in Gen.Double[0, 1].Array[0, 400]
        from lengths in Gen.Double[0.05, 3].Array[400]
        select (duration, chunk, Silences(duration, points, lengths));

    [Fact]
    public void The_parts_cover_the_recording_end_to_end_without_gaps_or_overlaps() =>
        Recordings.Sample(r =>
        {
            var spans = ChunkPlanner.Plan(r.Duration, r.Silences, r.Chunk);
            Assert.Equal(0, spans[0].Start);
            Assert.Equal(r.Duration, spans[^1].End);
            for (var i = 1; i < spans.Count; i++)
            {
                Assert.Equal(spans[i - 1].End, spans[i].Start);
            }

            Assert.All(spans, s => Assert.True(s.Duration > 0, $"empty part {s}"));
        }, iter: 2000, seed: "0N0XIzNsQ0O2");

    [Fact]
    public void Every_part_is_between_half_and_one_and_a_half_targets_long_and_the_last_no_longer_than_a_quarter_over() =>
        Recordings.Sample(r =>
        {
            var spans = ChunkPlanner.Plan(r.Duration, r.Silences, r.Chunk);
            foreach (var span in spans.Take(spans.Count - 1))
            {
                Assert.InRange(span.Duration, (r.Chunk * 0.5) - Millisecond, (r.Chunk * 1.5) + Millisecond);
            }

            Assert.True(spans[^1].Duration <= (r.Chunk * ChunkPlanner.TailAllowance) + Millisecond);
        }, iter: 2000, seed: "0N0XIzNsQ0O2");

    [Fact]
    public void A_cut_falls_inside_a_silence_whenever_one_lies_in_its_window() =>
        Recordings.Sample(r =>
        {
            var spans = ChunkPlanner.Plan(r.Duration, r.Silences, r.Chunk);
            foreach (var span in spans.Take(spans.Count - 1))
            {
                var windowHasSilence = r.Silences.Any(s => s.Middle > span.Start + (r.Chunk * 0.5) && s.Middle < Math.Min(span.Start + (r.Chunk * 1.5), r.Duration));
                if (windowHasSilence)
                {
                    Assert.Contains(r.Silences, s => span.End >= s.Start - Millisecond && span.End <= s.End + Millisecond);
                }
            }
        }, iter: 2000, seed: "0N0XIzNsQ0O2");

    [Fact]
    public void The_silence_nearest_the_target_is_chosen()
    {
        AudioSpan[] silences = [new(20, 20.4), new(28.8, 29.2), new(33, 34)];

        var spans = ChunkPlanner.Plan(60, silences, 30);

        Assert.Equal([new AudioSpan(0, 29), new AudioSpan(29, 60)], spans);
    }

    [Fact]
    public void Speech_without_any_pause_is_cut_at_the_target_and_the_rest_shared_evenly()
    {
        var spans = ChunkPlanner.Plan(100, [], 30);

        Assert.Equal([new AudioSpan(0, 30), new AudioSpan(30, 60), new AudioSpan(60, 80), new AudioSpan(80, 100)], spans);
    }

    [Fact]
    public void A_recording_up_to_a_quarter_over_the_target_stays_whole() =>
        Assert.Equal([new AudioSpan(0, 37.5)], ChunkPlanner.Plan(37.5, [new AudioSpan(20, 21)], 30));

    private static AudioSpan[] Silences(double duration, double[] points, double[] lengths)
    {
        var starts = points.Select(p => p * duration).Order().ToArray();
        var silences = new List<AudioSpan>();
        var previousEnd = -1.0;
        for (var i = 0; i < starts.Length; i++)
        {
            var start = Math.Max(starts[i], previousEnd + 0.01);
            var end = Math.Min(start + lengths[i], duration);
            if (end - start < 0.01)
            {
                continue;
            }

            silences.Add(new AudioSpan(start, end));
            previousEnd = end;
        }

        return [.. silences];
    }
}
