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

    /// <summary>A turn to say: by an espeak-ng voice (<c>en-us+m3</c>) or, with <c>file:</c>, a recording's audio.</summary>
    public sealed record Line(string Speaker, string Voice, string Text);

    public static (string Path, IReadOnlyList<Turn> Reference) Build(string folder, IReadOnlyList<Line> lines, double pause = 0.4)
    {
        Directory.CreateDirectory(folder);
        var silence = Path.Combine(folder, "pause.wav");
        Run("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", pause.ToString(CultureInfo.InvariantCulture), "-c:a", "pcm_s16le", silence]);
        var parts = new List<string>();
        var reference = new List<Turn>();
        var time = 0.0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
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
            var seconds = (new FileInfo(turn).Length - 44) / 32000.0;
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
        var refLabel = Labels(reference, frames);
        var hypLabel = Labels(hypothesis, frames);
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
            if (scored[f] && refLabel[f] is { } r && hypLabel[f] is { } h)
            {
                overlap[hyps.IndexOf(h), refs.IndexOf(r)]++;
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

            var r = refLabel[f];
            var h = hypLabel[f];
            total += r is null ? 0 : 1;
            if (r is not null && h is null)
            {
                missed++;
            }
            else if (r is null && h is not null)
            {
                falseAlarm++;
            }
            else if (r is not null && h is not null && (mapping[hyps.IndexOf(h)] is not { } mapped || refs[mapped] != r))
            {
                confused++;
            }
        }

        return total == 0 ? 0 : (missed + falseAlarm + confused) / (double)total;
    }

    private static string?[] Labels(IReadOnlyList<Conversations.Turn> turns, int frames)
    {
        var labels = new string?[frames];
        foreach (var turn in turns)
        {
            for (var f = (int)Math.Round(turn.Start / Frame); f < Math.Min(frames, (int)Math.Round(turn.End / Frame)); f++)
            {
                labels[f] = turn.Speaker;
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
