using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Processing;

/// <summary>
/// Puts speaker turns on a transcript: each word gets the speaker of the turn its middle falls in (or the nearest
/// turn), and a segment whose words change speaker is split there, so every segment has one speaker.
/// </summary>
public static class SpeakerAssignment
{
    public static IReadOnlyList<Segment> Apply(IReadOnlyList<Segment> segments, IReadOnlyList<SpeakerTurn> turns)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(turns);
        if (turns.Count == 0)
        {
            return segments;
        }

        var result = new List<Segment>();
        foreach (var segment in segments)
        {
            if (segment.Words.Count == 0)
            {
                result.Add(segment with { Speaker = SpeakerAt(turns, (segment.Start + segment.End) / 2) });
                continue;
            }

            var words = segment.Words.Select(w => w with { Speaker = SpeakerAt(turns, (w.Start + w.End) / 2) }).ToList();
            var runs = new List<List<Word>> { new() { words[0] } };
            foreach (var word in words.Skip(1))
            {
                if (word.Speaker != runs[^1][0].Speaker)
                {
                    runs.Add([]);
                }

                runs[^1].Add(word);
            }

            for (var i = 0; i < runs.Count; i++)
            {
                var run = runs[i];
                result.Add(new Segment(
                    i == 0 ? segment.Start : run[0].Start,
                    i == runs.Count - 1 ? segment.End : run[^1].End,
                    string.Join(' ', run.Select(w => w.Text)),
                    runs.Count == 1 ? segment.Confidence : Math.Round(run.Average(w => w.Confidence), 4),
                    run,
                    run[0].Speaker));
            }
        }

        return result;
    }

    private static string SpeakerAt(IReadOnlyList<SpeakerTurn> turns, double time)
    {
        SpeakerTurn? nearest = null;
        var distance = double.MaxValue;
        foreach (var turn in turns)
        {
            if (time >= turn.Start && time <= turn.End)
            {
                return turn.Speaker;
            }

            var d = Math.Min(Math.Abs(time - turn.Start), Math.Abs(time - turn.End));
            if (d < distance)
            {
                distance = d;
                nearest = turn;
            }
        }

        return nearest!.Speaker;
    }
}
