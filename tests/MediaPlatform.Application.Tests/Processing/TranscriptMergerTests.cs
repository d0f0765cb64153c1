using CsCheck;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing.Chunking;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Tests.Processing;

public sealed class TranscriptMergerTests
{
    /// <summary>Contiguous parts, each with what an engine could say of it: ordered segments, words inside them, ends a little past the part.</summary>
    private static readonly Gen<DecodedPart[]> Parts =
        Gen.Double[1, 90].Array[1, 12].SelectMany(lengths =>
            Gen.Double[0, 1].Array[0, 40].Array[lengths.Length].Select(points =>
            {
                var parts = new DecodedPart[lengths.Length];
                var start = 0.0;
                for (var p = 0; p < lengths.Length; p++)
                {
                    var span = new AudioSpan(Math.Round(start, 3), Math.Round(start + lengths[p], 3));
                    parts[p] = new DecodedPart(span, span.Start, Transcript(p, span.Duration, points[p]));
                    start = span.End;
                }

                return parts;
            }));

    [Fact]
    public void No_word_is_lost_duplicated_or_reordered() =>
        Parts.Sample(parts =>
        {
            var merged = TranscriptMerger.Merge(parts);

            var expected = parts.SelectMany(p => p.Transcript.Segments.SelectMany(s => s.Words.Select(w => w.Text)));
            Assert.Equal(expected, merged.Segments.SelectMany(s => s.Words.Select(w => w.Text)));
        }, iter: 1000, seed: "0aMPc9oV8NZ3");

    [Fact]
    public void Every_word_lands_inside_its_part_at_its_offset() =>
        Parts.Sample(parts =>
        {
            var merged = TranscriptMerger.Merge(parts).Segments.SelectMany(s => s.Words).ToList();
            var index = 0;
            foreach (var (span, _, transcript) in parts)
            {
                foreach (var word in transcript.Segments.SelectMany(s => s.Words))
                {
                    var placed = merged[index++];
                    Assert.InRange(placed.Start, span.Start, span.End);
                    Assert.InRange(placed.End, placed.Start, span.End);
                    Assert.Equal(Math.Round(Math.Min(span.Start + word.Start, span.End), 3), placed.Start);
                }
            }
        }, iter: 1000, seed: "0aMPc9oV8NZ3");

    [Fact]
    public void The_merged_transcript_is_one_a_transcription_accepts() =>
        Parts.Sample(parts =>
        {
            var merged = TranscriptMerger.Merge(parts);

            var created = Transcription.Create(JobId.New(), MediaAssetId.New(), "en", "pocketsphinx", merged.Model, merged.Segments, DateTimeOffset.UnixEpoch);

            Assert.True(created.IsSuccess, created.Error?.Message);
            var times = merged.Segments.SelectMany(s => new[] { s.Start, s.End }).ToList();
            Assert.Equal(times.Order(), times);
        }, iter: 1000, seed: "0aMPc9oV8NZ3");

    [Fact]
    public void A_word_heard_in_a_parts_lead_in_is_kept_once_by_the_part_before()
    {
        var before = new EngineTranscript([new Segment(27.5, 29.4, "the end", 0.9, [new Word("the", 27.5, 28.8, 0.9), new Word("end", 29.0, 29.4, 0.9)])], "model", "en");
        // Decoded from 27 s: it hears "end" again in its lead-in, then its own words after the cut at 30 s.
        var after = new EngineTranscript(
            [new Segment(1.9, 2.4, "end", 0.5, [new Word("end", 2.0, 2.4, 0.5)]), new Segment(3.5, 5, "a start", 0.9, [new Word("a", 3.5, 4, 0.9), new Word("start", 4, 5, 0.9)])],
            "model",
            "en");

        var merged = TranscriptMerger.Merge([new DecodedPart(new AudioSpan(0, 30), 0, before), new DecodedPart(new AudioSpan(30, 60), 27, after)]);

        Assert.Equal(["the", "end", "a", "start"], merged.Segments.SelectMany(s => s.Words).Select(w => w.Text));
        Assert.Equal([30.5, 31.0], merged.Segments[1].Words.Select(w => w.Start));
    }

    /// <summary>Segments at the given points (fractions of the part), each with two words; the last may run past the part's end.</summary>
    private static EngineTranscript Transcript(int part, double length, double[] points)
    {
        var cuts = points.Select(p => p * length).Order().ToArray();
        var segments = new List<Segment>();
        for (var i = 0; i + 1 < cuts.Length; i += 2)
        {
            var (start, end) = (cuts[i], i + 2 >= cuts.Length ? cuts[i + 1] + 0.05 : cuts[i + 1]);
            var middle = (start + end) / 2;
            segments.Add(new Segment(start, end, $"p{part}s{i} p{part}s{i}b", 0.9,
                [new Word($"p{part}s{i}", start, middle, 0.9), new Word($"p{part}s{i}b", middle, end, 0.8)]));
        }

        return new EngineTranscript(segments, "model", "en");
    }
}
