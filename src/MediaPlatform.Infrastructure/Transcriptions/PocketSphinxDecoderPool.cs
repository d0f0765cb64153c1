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

        if (_idle.TryTake(out var decoder))
        {
            return decoder;
        }

        var settings = options.Value.PocketSphinx;
        try
        {
            decoder = PocketSphinxDecoder.Load(
                Path.Combine(settings.ModelPath, "en-us"), Path.Combine(settings.ModelPath, "en-us.lm.bin"), Path.Combine(settings.ModelPath, "cmudict-en-us.dict"));
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or InvalidOperationException)
        {
            _unavailable = true;
            LogUnavailable(logger, ex.Message);
            return null;
        }

        return decoder;
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

        _idle.Add(decoder);
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var decoder))
        {
            decoder.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The pocketsphinx libraries could not be used in this process ({Reason}); each recording runs pocketsphinx_continuous instead.")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
