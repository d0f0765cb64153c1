using System.Collections.Concurrent;
using MediaPlatform.Infrastructure.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Transcriptions;

/// <summary>
/// Pronunciations for words the offline engine's dictionary lacks (a custom vocabulary's names and terms): espeak-ng
/// phonemises any spelling by its English rules (<c>-v en-us -x</c>), and <see cref="EspeakPhonemes"/> writes the
/// phonemes in the model's ARPAbet. One espeak-ng run serves all the words of a request; answers are kept for the
/// process (bounded), so the parts of a long recording ask once. Without espeak-ng the words get no pronunciation
/// and the engine decodes without them (logged once).
/// </summary>
internal sealed partial class EspeakPronouncer(IOptions<TranscriptionOptions> options, ILogger<EspeakPronouncer> logger)
{
    private const int MaxRemembered = 20_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, string?> _remembered = new(StringComparer.Ordinal);
    private volatile bool _missingLogged;

    /// <summary>
    /// ARPAbet phones for each of <paramref name="words"/> (lower-case letters and apostrophes) that has some; a word
    /// whose phonemes do not map is left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> PronounceAsync(IReadOnlyCollection<string> words, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(words);
        var unknown = words.Where(w => !_remembered.ContainsKey(w)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            var phonemes = await PhonemesAsync(unknown, cancellationToken);
            if (phonemes is null)
            {
                return new Dictionary<string, string>();
            }

            if (_remembered.Count + unknown.Count > MaxRemembered)
            {
                _remembered.Clear();
            }

            for (var i = 0; i < unknown.Count; i++)
            {
                _remembered[unknown[i]] = EspeakPhonemes.ToArpabet(phonemes[i]);
            }
        }

        var pronounced = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            if (_remembered.TryGetValue(word, out var phones) && phones is not null)
            {
                pronounced[word] = phones;
            }
        }

        return pronounced;
    }

    /// <summary>espeak-ng's phonemes of each word, in order; null when espeak-ng cannot be run.</summary>
    private async Task<IReadOnlyList<string>?> PhonemesAsync(IReadOnlyList<string> words, CancellationToken cancellationToken)
    {
        var together = await RunAsync(string.Join('\n', words), cancellationToken);
        if (together is null)
        {
            return null;
        }

        var split = together.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (split.Length == words.Count)
        {
            return split;
        }

        // espeak-ng joined or split some words: ask word by word.
        var one = new List<string>(words.Count);
        foreach (var word in words)
        {
            var phonemes = (await RunAsync(word, cancellationToken))?.Trim() ?? "";
            one.Add(phonemes.Contains(' ', StringComparison.Ordinal) ? "" : phonemes);
        }

        return one;
    }

    private async Task<string?> RunAsync(string text, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ProcessRunner.RunAsync(
                options.Value.PocketSphinx.EspeakPath, ["-v", "en-us", "-q", "-x", "--sep=_", text], Timeout, cancellationToken);
            if (result.ExitCode == 0)
            {
                return result.Stdout;
            }

            LogFailed(logger, result.ExitCode, result.LastErrorLine);
            return null;
        }
        catch (FileNotFoundException ex)
        {
            if (!_missingLogged)
            {
                _missingLogged = true;
                LogMissing(logger, ex.Message);
            }

            return null;
        }
        catch (TimeoutException ex)
        {
            LogFailed(logger, -1, ex.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "espeak-ng is not available ({Reason}): custom vocabulary words missing from the offline engine's dictionary are not added. Install espeak-ng.")]
    private static partial void LogMissing(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "espeak-ng failed (exit code {ExitCode}: {Error}); the vocabulary's unknown words are not added this time.")]
    private static partial void LogFailed(ILogger logger, int exitCode, string? error);
}
