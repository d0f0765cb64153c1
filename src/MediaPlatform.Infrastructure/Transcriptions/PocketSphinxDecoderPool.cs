using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Transcriptions;

/// <summary>
/// The loaded pocketsphinx decoders of this process: made when first needed (a process that decodes nothing loads
/// no model), kept between recordings, one recording per decoder at a time. As many exist as recordings were
/// decoded at once, which the job and part workers bound (<c>Transcription:MaxParallelChunks</c>).
/// A process that cannot load the libraries or the model says so once and the engine runs the program instead.
/// </summary>
internal sealed partial class PocketSphinxDecoderPool(IOptions<TranscriptionOptions> options, ILogger<PocketSphinxDecoderPool> logger) : IDisposable
{
    private readonly ConcurrentBag<PocketSphinxDecoder> _idle = [];
    private readonly List<PocketSphinxDecoder> _idleWithWords = []; // guarded by itself; at most MaxIdleWithWords
    private volatile bool _unavailable;
    private volatile bool _disposed;

    /// <summary>False once the libraries or the model failed to load in this process.</summary>
    public bool IsAvailable => !_unavailable && !_disposed;

    /// <summary>An idle decoder, or a new one; null when decoders cannot be made here (then use the program).</summary>
    public PocketSphinxDecoder? Rent()
    {
        if (!IsAvailable)
        {
            return null;
        }

        return _idle.TryTake(out var decoder) ? decoder : Load();
    }

    /// <summary>
    /// A decoder whose dictionary (and language model) also has <paramref name="added"/> (word to ARPAbet phones): an
    /// idle one with the same words, or a new one. A decoder given words keeps them, so such decoders are kept apart
    /// from the others and only <see cref="MaxIdleWithWords"/> of them stay loaded when idle. Words the decoder
    /// refuses are logged and it decodes without them. Null when decoders cannot be made here.
    /// </summary>
    public PocketSphinxDecoder? Rent(IReadOnlyDictionary<string, string> added)
    {
        ArgumentNullException.ThrowIfNull(added);
        if (added.Count == 0)
        {
            return Rent();
        }

        if (!IsAvailable)
        {
            return null;
        }

        var key = string.Join('\n', added.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Key} {w.Value}"));
        PocketSphinxDecoder? decoder;
        lock (_idleWithWords)
        {
            decoder = _idleWithWords.Find(d => d.AddedWords == key);
            if (decoder is not null)
            {
                _idleWithWords.Remove(decoder);
                return decoder;
            }
        }

        decoder = Load();
        if (decoder is null)
        {
            return null;
        }

        try
        {
            decoder.AddWords(added, key);
            return decoder;
        }
        catch (InvalidOperationException ex)
        {
            decoder.Dispose();
            LogWordsRefused(logger, ex.Message);
            return Rent();
        }
    }

    /// <summary>Decoders with added words kept loaded while idle (each holds a model: about as much memory as a plain one).</summary>
    public const int MaxIdleWithWords = 2;

    private PocketSphinxDecoder? Load()
    {
        var settings = options.Value.PocketSphinx;
        try
        {
            return PocketSphinxDecoder.Load(
                Path.Combine(settings.ModelPath, "en-us"), Path.Combine(settings.ModelPath, "en-us.lm.bin"), Path.Combine(settings.ModelPath, "cmudict-en-us.dict"),
                settings.SearchArguments);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or InvalidOperationException)
        {
            _unavailable = true;
            LogUnavailable(logger, ex.Message);
            return null;
        }
    }

    /// <summary>Gives a decoder back for the next recording (a decoder whose run failed natively never returns: the process is gone).</summary>
    public void Return(PocketSphinxDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        if (_disposed)
        {
            decoder.Dispose();
            return;
        }

        if (decoder.AddedWords.Length == 0)
        {
            _idle.Add(decoder);
        }
        else
        {
            PocketSphinxDecoder? oldest = null;
            lock (_idleWithWords)
            {
                _idleWithWords.Add(decoder);
                if (_idleWithWords.Count > MaxIdleWithWords)
                {
                    oldest = _idleWithWords[0];
                    _idleWithWords.RemoveAt(0);
                }
            }

            oldest?.Dispose();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var decoder))
        {
            decoder.Dispose();
        }

        lock (_idleWithWords)
        {
            _idleWithWords.ForEach(d => d.Dispose());
            _idleWithWords.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "pocketsphinx refused a custom vocabulary's pronunciations ({Reason}); the recording is decoded without them.")]
    private static partial void LogWordsRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The pocketsphinx libraries could not be used in this process ({Reason}); each recording runs pocketsphinx_continuous instead.")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
