using System.Diagnostics;
using System.Globalization;

namespace MediaPlatform.TestSupport.Media;

/// <summary>
/// Test conversations for diarization: turns said by distinct espeak-ng voices (or cut from real recordings), joined
/// with pauses into one 16 kHz mono WAV, with the reference of who speaks when (each turn's file span).
/// </summary>
public static class Conversations
{
    public sealed record Turn(string Speaker, double Start, double End);

    /// <summary>
    /// A turn to say: by an espeak-ng voice (<c>en-us+m3</c>) or, with <c>file:</c>, a recording's audio. With
    /// <paramref name="Overlap"/> seconds it starts that long before the previous turn ends (both speak at once).
    /// </summary>
    public sealed record Line(string Speaker, string Voice, string Text, double Overlap = 0);

    public static (string Path, IReadOnlyList<Turn> Reference) Build(string folder, IReadOnlyList<Line> lines, double pause = 0.4)
    {
        if (lines.Any(l => l.Overlap > 0))
        {
            return BuildOverlapping(folder, lines, pause);
        }

        Directory.CreateDirectory(folder);
        var silence = Path.Combine(folder, "pause.wav");
        Run("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", pause.ToString(CultureInfo.InvariantCulture), "-c:a", "pcm_s16le", silence]);
        var parts = new List<string>();
        var reference = new List<Turn>();
        var time = 0.0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var (turn, seconds) = Say(folder, i, line);
            reference.Add(new Turn(line.Speaker, Math.Round(time, 3), Math.Round(time + seconds, 3)));
            time += seconds + pause;
            parts.Add(turn);
            parts.Add(silence);
        }

        var list = Path.Combine(folder, "parts.txt");
        File.WriteAllLines(list, parts.Select(p => $"file '{p}'"));
        var output = Path.Combine(folder, "conversation.wav");
        Run("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0", "-i", list, "-c:a", "pcm_s16le", output]);
        return (output, reference);
    }

    /// <summary>The i-th turn as 16 kHz mono WAV, and its length in seconds.</summary>
    private static (string Path, double Seconds) Say(string folder, int i, Line line)
    {
        var raw = Path.Combine(folder, $"turn{i}-raw.wav");
        if (line.Voice.StartsWith("file:", StringComparison.Ordinal))
        {
            File.Copy(line.Voice[5..], raw, overwrite: true);
        }
        else
        {
            Run("espeak-ng", ["-v", line.Voice, "-s", "155", "-w", raw, line.Text]);
        }

        var turn = Path.Combine(folder, $"turn{i}.wav");
        Run("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-i", raw, "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", "-map_metadata", "-1", "-fflags", "+bitexact", turn]);
        return (turn, SpeechSamples.Duration(turn).TotalSeconds);
    }

    /// <summary>Turns placed on one timeline and mixed (ffmpeg <c>adelay</c> + <c>amix</c>), so overlapping turns sound at once.</summary>
    private static (string Path, IReadOnlyList<Turn> Reference) BuildOverlapping(string folder, IReadOnlyList<Line> lines, double pause)
    {
        Directory.CreateDirectory(folder);
        var reference = new List<Turn>();
        var inputs = new List<string>();
        var time = 0.0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var (turn, seconds) = Say(folder, i, line);
            var start = i == 0 ? 0 : line.Overlap > 0 ? Math.Max(reference[^1].Start, time - line.Overlap) : time + pause;
            reference.Add(new Turn(line.Speaker, Math.Round(start, 3), Math.Round(start + seconds, 3)));
            time = Math.Max(time, start + seconds);
            inputs.Add(turn);
        }

        var output = Path.Combine(folder, "conversation.wav");
        var arguments = new List<string> { "-nostdin", "-loglevel", "error", "-y" };
        foreach (var input in inputs)
        {
            arguments.AddRange(["-i", input]);
        }

        var delays = string.Concat(reference.Select((t, i) =>
            $"[{i}]adelay={Math.Round(t.Start * 1000).ToString(CultureInfo.InvariantCulture)}:all=1[d{i}];"));
        var mix = string.Concat(reference.Select((_, i) => $"[d{i}]")) + $"amix=inputs={reference.Count}:normalize=0:duration=longest[m]";
        arguments.AddRange(["-filter_complex", delays + mix, "-map", "[m]", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", "-t", (time + pause).ToString("F3", CultureInfo.InvariantCulture), output]);
        Run("ffmpeg", arguments);
        return (output, reference);
    }

    /// <summary>
    /// <see cref="TwoSpeakers"/> where every other change of speaker interrupts: the next turn starts
    /// <paramref name="overlap"/> seconds before the previous one ends.
    /// </summary>
    public static IReadOnlyList<Line> TwoSpeakersOverlapping(string a, string b, double overlap) =>
        [.. TwoSpeakers(a, b).Select((l, i) => i % 2 == 1 ? l with { Overlap = overlap } : l)];

    /// <summary>Two speakers taking six turns of 3-8 s each (espeak-ng's en-us voice as a man and as a woman).</summary>
    public static IReadOnlyList<Line> TwoSpeakers(string a = "en-us+m3", string b = "en-us+f4") =>
    [
        new("A", a, "Good morning, thank you for joining the call today. I wanted to go over the release plan for next week."),
        new("B", b, "Morning. Sure, I have the schedule open in front of me right now."),
        new("A", a, "The database migration goes out on Monday, then the new search page on Wednesday afternoon."),
        new("B", b, "That works for us. Do we still need the extra servers for the migration window?"),
        new("A", a, "Yes, two more machines for about six hours, and somebody on call in case it runs long."),
        new("B", b, "I can take the first shift. Send me the checklist and I will read it tonight."),
    ];

    /// <summary>
    /// A second conversation, never used to choose the diarizer's parameters (a held-out set): other words, other
    /// turn lengths (2-9 s), seven turns.
    /// </summary>
    public static IReadOnlyList<Line> TwoSpeakersHeldOut(string a, string b) =>
    [
        new("A", a, "Hi, is this the front desk? I booked a room for two nights starting tomorrow."),
        new("B", b, "Yes it is. Could you tell me the name on the reservation please?"),
        new("A", a, "Of course."),
        new("B", b, "Thank you. I can see it here, a double room with breakfast, arriving after six in the evening."),
        new("A", a, "That is right. Is there somewhere close by to park a car overnight, ideally with a charger for electric cars?"),
        new("B", b, "There is a garage behind the hotel, and the first night of parking is free for guests."),
        new("A", a, "Perfect, see you tomorrow then."),
    ];

    private static void Run(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed: {error.Result}");
        }
    }
}

/// <summary>
/// Diarization error rate as NIST md-eval scores it, on 10 ms frames: (missed speech + false alarm + speaker
/// confusion) / reference speech, with the standard 0.25 s collar around every reference turn boundary left
/// unscored, and hypothesis labels mapped one to one onto reference speakers to agree on the most time.
/// </summary>
public static class DiarizationErrorRate
{
    private const double Frame = 0.01;

    public static double Score(IReadOnlyList<Conversations.Turn> reference, IReadOnlyList<Conversations.Turn> hypothesis, double collar = 0.25)
    {
        var end = reference.Concat(hypothesis).Max(t => t.End);
        var frames = (int)Math.Ceiling(end / Frame) + 1;
        var refLabels = Labels(reference, frames);
        var hypLabels = Labels(hypothesis, frames);
        var scored = Enumerable.Repeat(true, frames).ToArray();
        foreach (var boundary in reference.SelectMany(t => new[] { t.Start, t.End }))
        {
            for (var f = Math.Max(0, (int)((boundary - collar) / Frame)); f < Math.Min(frames, (int)((boundary + collar) / Frame)); f++)
            {
                scored[f] = false;
            }
        }

        var refs = reference.Select(t => t.Speaker).Distinct().ToList();
        var hyps = hypothesis.Select(t => t.Speaker).Distinct().ToList();
        var overlap = new int[hyps.Count, refs.Count];
        for (var f = 0; f < frames; f++)
        {
            if (!scored[f])
            {
                continue;
            }

            foreach (var h in hypLabels[f])
            {
                foreach (var r in refLabels[f])
                {
                    overlap[hyps.IndexOf(h), refs.IndexOf(r)]++;
                }
            }
        }

        var mapping = BestMapping(overlap, hyps.Count, refs.Count);
        int total = 0, missed = 0, falseAlarm = 0, confused = 0;
        for (var f = 0; f < frames; f++)
        {
            if (!scored[f])
            {
                continue;
            }

            // Overlapped speech counts once per speaker (md-eval): a frame where two speak and one is found is one miss.
            var r = refLabels[f];
            var h = hypLabels[f];
            total += r.Count;
            missed += Math.Max(0, r.Count - h.Count);
            falseAlarm += Math.Max(0, h.Count - r.Count);
            var correct = h.Count(label => mapping[hyps.IndexOf(label)] is { } mapped && r.Contains(refs[mapped]));
            confused += Math.Min(r.Count, h.Count) - correct;
        }

        return total == 0 ? 0 : (missed + falseAlarm + confused) / (double)total;
    }

    /// <summary>Who speaks in each frame: nobody, one speaker, or several at once.</summary>
    private static List<string>[] Labels(IReadOnlyList<Conversations.Turn> turns, int frames)
    {
        var labels = Enumerable.Range(0, frames).Select(_ => new List<string>(1)).ToArray();
        foreach (var turn in turns)
        {
            for (var f = (int)Math.Round(turn.Start / Frame); f < Math.Min(frames, (int)Math.Round(turn.End / Frame)); f++)
            {
                if (!labels[f].Contains(turn.Speaker))
                {
                    labels[f].Add(turn.Speaker);
                }
            }
        }

        return labels;
    }

    /// <summary>The one-to-one hypothesis-to-reference mapping with the most agreeing frames (exhaustive: a handful of speakers).</summary>
    private static int?[] BestMapping(int[,] overlap, int hyps, int refs)
    {
        var best = new int?[hyps];
        var bestScore = -1;
        var current = new int?[hyps];
        var used = new bool[refs];
        void Search(int h, int score)
        {
            if (h == hyps)
            {
                if (score > bestScore)
                {
                    bestScore = score;
                    Array.Copy(current, best, hyps);
                }

                return;
            }

            current[h] = null;
            Search(h + 1, score);
            for (var r = 0; r < refs; r++)
            {
                if (!used[r])
                {
                    used[r] = true;
                    current[h] = r;
                    Search(h + 1, score + overlap[h, r]);
                    used[r] = false;
                }
            }

            current[h] = null;
        }

        Search(0, 0);
        return best;
    }
}
