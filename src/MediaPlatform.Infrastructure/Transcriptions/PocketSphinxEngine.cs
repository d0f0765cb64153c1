using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing;
using MediaPlatform.Infrastructure.Processes;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Transcriptions;

/// <summary>
/// The default, offline engine: one <c>pocketsphinx_continuous</c> process per media file (loading the model costs
/// about a second, so never one per chunk). It splits the audio at silences itself; each utterance it finishes
/// is a segment, and its end time over the duration is the progress.
/// </summary>
internal sealed class PocketSphinxEngine(IOptions<TranscriptionOptions> options) : ITranscriptionEngine
{
    public const string EngineName = "pocketsphinx";

    public string Name => EngineName;

    public bool IsAvailable => true;

    public async Task<EngineTranscript> TranscribeAsync(
        string wavPath, TimeSpan duration, string? language, IProgress<double> progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (language is not null && !language.StartsWith("en", StringComparison.OrdinalIgnoreCase))
        {
            throw new MediaProcessingException(
                "engine.language_unsupported",
                $"The offline engine only has an English model; '{language}' needs another engine (set engine to 'openai' with a Whisper server).",
                isTransient: false);
        }

        var settings = options.Value.PocketSphinx;
        var model = settings.ModelPath;
        if (!Directory.Exists(Path.Combine(model, "en-us")))
        {
            throw new MediaProcessingException(
                "engine.unavailable", "The offline engine's English model is not installed on the worker.", isTransient: true) { Detail = $"missing: {model}/en-us (install pocketsphinx-en-us)" };
        }

        var parser = new PocketSphinxOutputParser();
        var total = Math.Max(duration.TotalSeconds, 0.001);
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(
                settings.BinaryPath,
                ["-infile", wavPath, "-hmm", Path.Combine(model, "en-us"), "-lm", Path.Combine(model, "en-us.lm.bin"),
                 "-dict", Path.Combine(model, "cmudict-en-us.dict"), "-time", "yes", "-logfn", "/dev/null"],
                TimeSpan.FromSeconds(settings.TimeoutSeconds + (settings.TimeoutFactor * duration.TotalSeconds)),
                cancellationToken,
                line =>
                {
                    if (parser.Feed(line) is { } end)
                    {
                        progress.Report(Math.Clamp(end / total, 0, 1));
                    }
                });
        }
        catch (TimeoutException ex)
        {
            throw new MediaProcessingException("engine.timeout", "The offline engine did not finish in time.", isTransient: true, ex) { Detail = ex.Message };
        }
        catch (FileNotFoundException ex)
        {
            throw new MediaProcessingException("engine.unavailable", "The offline engine is not installed on the worker.", isTransient: true, ex) { Detail = ex.Message };
        }

        if (result.ExitCode != 0)
        {
            throw new MediaProcessingException(
                "engine.failed", $"The offline engine stopped with exit code {result.ExitCode}.", isTransient: true) { Detail = result.LastErrorLine };
        }

        progress.Report(1);
        return new EngineTranscript(parser.Segments, "cmusphinx-en-us-5.2", "en");
    }
}
