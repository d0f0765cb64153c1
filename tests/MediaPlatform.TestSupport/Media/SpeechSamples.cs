using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MediaPlatform.TestSupport.Media;

/// <summary>
/// Real test media: the librivox recordings of Debian's <c>pocketsphinx-testdata</c> with their reference text,
/// speech synthesised by <c>espeak-ng</c>, and containers and videos made by ffmpeg. Nothing here is a transcript
/// pretending to be engine output: only inputs and references.
/// </summary>
public static partial class SpeechSamples
{
    public const string LibrivoxFolder = "/usr/share/pocketsphinx/test/data/librivox";

    /// <summary>The five librivox recordings and their reference transcripts (lower case, no punctuation).</summary>
    public static IReadOnlyList<(string Path, string Reference)> Librivox() => Recordings(LibrivoxFolder, "transcription");

    public const string CardsFolder = "/usr/share/pocketsphinx/test/data/cards";

    /// <summary>
    /// The five short recordings of playing cards in <c>pocketsphinx-testdata</c> (one speaker, about a second to
    /// three each, "ten of clubs", "five five") and their reference text: other real speech than the librivox set.
    /// </summary>
    public static IReadOnlyList<(string Path, string Reference)> Cards() => Recordings(CardsFolder, "cards.transcription");

    /// <summary>The WAV files of a pocketsphinx-testdata folder named by its reference file's lines (<c>&lt;s&gt; text &lt;/s&gt; (id)</c>).</summary>
    private static IReadOnlyList<(string Path, string Reference)> Recordings(string folder, string referenceFile) =>
        [.. File.ReadAllLines(Path.Combine(folder, referenceFile))
            .Select(line => ReferenceLine().Match(line))
            .Where(m => m.Success)
            .Select(m => (Path.Combine(folder, m.Groups["id"].Value + ".wav"), m.Groups["text"].Value.Trim()))];

    /// <summary>Speech synthesised by espeak-ng into a WAV file.</summary>
    public static string Espeak(string folder, string text, string name = "speech.wav")
    {
        var path = Path.Combine(folder, name);
        Run("espeak-ng", ["-s", "150", "-w", path, text]);
        return path;
    }

    /// <summary>Converts with ffmpeg; <paramref name="arguments"/> go between input and output.</summary>
    public static string Convert(string input, string output, params string[] arguments)
    {
        Run("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-i", input, .. arguments, output]);
        return output;
    }

    /// <summary>An MP4 video (test pattern) carrying <paramref name="audio"/> as its sound track.</summary>
    public static string VideoWithAudio(string audio, string output)
    {
        Run("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10", "-i", audio,
            "-shortest", "-c:v", "mpeg4", "-c:a", "aac", output]);
        return output;
    }

    /// <summary>An MP4 video (test pattern) with no audio stream at all.</summary>
    public static string SilentVideo(string output, int seconds = 2)
    {
        Run("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"testsrc=size=160x120:rate=10:duration={seconds}", "-c:v", "mpeg4", output]);
        return output;
    }

    /// <summary>Long speech: the librivox recordings, repeated and joined with a second of silence between them.</summary>
    public static string LongRecording(string folder, int repeats)
    {
        var list = Path.Combine(folder, "concat.txt");
        var silence = Path.Combine(folder, "silence.wav");
        Run("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "1", "-c:a", "pcm_s16le", silence]);
        var parts = Enumerable.Repeat(Librivox().Select(l => l.Path), repeats).SelectMany(p => p).SelectMany(p => new[] { p, silence });
        File.WriteAllLines(list, parts.Select(p => $"file '{p}'"));
        var output = Path.Combine(folder, "long.wav");
        Run("ffmpeg", ["-nostdin", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0", "-i", list, "-c:a", "pcm_s16le", output]);
        return output;
    }

    /// <summary>The references of <see cref="LongRecording"/>, in its order.</summary>
    public static string LongRecordingReference(int repeats) =>
        string.Join(' ', Enumerable.Repeat(Librivox().Select(l => l.Reference), repeats).SelectMany(r => r));

    /// <summary>
    /// What bare <c>pocketsphinx_continuous</c> hears in a file, with the platform's model and no other processing
    /// (its default search, or the <paramref name="search"/> arguments added).
    /// </summary>
    public static string BarePocketSphinx(string wav, params string[] search)
    {
        const string model = "/usr/share/pocketsphinx/model/en-us";
        var start = new System.Diagnostics.ProcessStartInfo("pocketsphinx_continuous")
        {
            ArgumentList = { "-infile", wav, "-hmm", $"{model}/en-us", "-lm", $"{model}/en-us.lm.bin", "-dict", $"{model}/cmudict-en-us.dict", "-logfn", "/dev/null" },
            RedirectStandardOutput = true,
        };
        foreach (var argument in search)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return string.Join(' ', output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>The length of a 16 kHz mono 16-bit WAV with a plain 44-byte header (the recordings and files made here).</summary>
    public static TimeSpan Duration(string wav) => TimeSpan.FromSeconds((new FileInfo(wav).Length - 44) / 32000.0);

    /// <summary>
    /// How often <paramref name="targets"/> occur in <paramref name="reference"/>, and how many of those
    /// <paramref name="heard"/> has: per target, the fewer of its two counts. <paramref name="spelled"/> gives the
    /// form a target takes in <paramref name="heard"/> (the target itself by default).
    /// </summary>
    public static (int Heard, int Occurrences) TargetsHeard(
        string reference, IReadOnlyCollection<string> heard, IEnumerable<string> targets, Func<string, string>? spelled = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(heard);
        ArgumentNullException.ThrowIfNull(targets);
        var said = reference.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int found = 0, occurrences = 0;
        foreach (var target in targets)
        {
            var inReference = said.Count(w => w == target);
            var form = spelled?.Invoke(target) ?? target;
            occurrences += inReference;
            found += Math.Min(inReference, heard.Count(w => w == form));
        }

        return (found, occurrences);
    }

    /// <summary>Word error rate: word-level edit distance over the reference length.</summary>
    public static (int Errors, int Words) WordErrors(string reference, string hypothesis)
    {
        var r = Words(reference);
        var h = Words(hypothesis);
        var d = Enumerable.Range(0, h.Length + 1).ToArray();
        for (var i = 1; i <= r.Length; i++)
        {
            var previous = d.ToArray();
            d[0] = i;
            for (var j = 1; j <= h.Length; j++)
            {
                d[j] = Math.Min(Math.Min(previous[j] + 1, d[j - 1] + 1), previous[j - 1] + (r[i - 1] == h[j - 1] ? 0 : 1));
            }
        }

        return (d[h.Length], r.Length);
    }

    private static string[] Words(string text) =>
        text.ToLowerInvariant().Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);

    private static void Run(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed: {error.Result}");
        }
    }

    [GeneratedRegex(@"^<s> (?<text>.*) </s> \((?<id>[^)]+)\)$")]
    private static partial Regex ReferenceLine();
}
