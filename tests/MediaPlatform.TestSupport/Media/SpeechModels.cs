using System.Text.RegularExpressions;

namespace MediaPlatform.TestSupport.Media;

/// <summary>Copies of Debian's offline model with words taken out, to make rare words of words real recordings say.</summary>
public static partial class SpeechModels
{
    public const string Debian = "/usr/share/pocketsphinx/model/en-us";

    /// <summary>
    /// A model folder in <paramref name="folder"/> like Debian's (its acoustic model and language model linked) whose
    /// dictionary lacks <paramref name="words"/>, every pronunciation of each. The language model still has them.
    /// </summary>
    public static string WithoutDictionaryWords(string folder, IReadOnlyCollection<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var model = Directory.CreateDirectory(Path.Combine(folder, "model")).FullName;
        File.CreateSymbolicLink(Path.Combine(model, "en-us"), Path.Combine(Debian, "en-us"));
        File.CreateSymbolicLink(Path.Combine(model, "en-us.lm.bin"), Path.Combine(Debian, "en-us.lm.bin"));
        File.WriteAllLines(
            Path.Combine(model, "cmudict-en-us.dict"),
            File.ReadLines(Path.Combine(Debian, "cmudict-en-us.dict")).Where(l => !words.Contains(Variant().Replace(l.Split(' ', 2)[0], ""))));
        return model;
    }

    /// <summary>The dictionary's first pronunciation of each of <paramref name="words"/> it has (ARPAbet).</summary>
    public static IReadOnlyDictionary<string, string> Pronunciations(IReadOnlyCollection<string> words) =>
        File.ReadLines(Path.Combine(Debian, "cmudict-en-us.dict"))
            .Select(l => l.Split(' ', 2))
            .Where(p => words.Contains(p[0]))
            .ToDictionary(p => p[0], p => p[1].Trim());

    [GeneratedRegex(@"\(\d+\)$")]
    private static partial Regex Variant();
}
