using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing;
using MediaPlatform.Domain.Transcriptions;
using MediaPlatform.Infrastructure.Processes;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Transcriptions;

/// <summary>
/// The default, offline engine. In <c>library</c> mode (the default) recordings are decoded in this process by
/// decoders that keep the model loaded between them (<see cref="PocketSphinxDecoderPool"/>: loading costs about a
/// second, which a long recording's parts would pay each); in <c>process</c> mode (or where the libraries cannot be loaded) each recording runs one
/// <c>pocketsphinx_continuous</c> process. Both split the audio at silences; each utterance is a segment, and its
/// end time over the duration is the progress. Both give the same words for the same audio. A part's lead-in is
/// decoded (it settles the running cepstral mean) and its words dropped: a word belongs to the lead-in when its
/// middle does, the rule <see cref="Application.Processing.Chunking.TranscriptMerger"/> uses to give it to the part before.
/// A run (<see cref="StartRun"/>) keeps one decoder for consecutive parts, and a part that follows the last one goes on
/// from its cut without decoding its lead-in (docs/adr/0031).
/// </summary>
internal sealed class PocketSphinxEngine(IOptions<TranscriptionOptions> options, PocketSphinxDecoderPool decoders, EspeakPronouncer pronouncer) : IContinuingTranscriptionEngine
{
    public const string EngineName = "pocketsphinx";

    public string Name => EngineName;

    public bool IsAvailable => true;

    /// <summary>Its one model is English's.</summary>
    public bool Transcribes(string language) => language.StartsWith("en", StringComparison.OrdinalIgnoreCase);

    /// <summary>A recording on its own: the first part of a run of one, whose decoder goes back to the pool after it.</summary>
    public async Task<EngineTranscript> TranscribeAsync(
        string wavPath, TimeSpan duration, TimeSpan leadIn, string? language, IProgress<double> progress, CancellationToken cancellationToken = default)
    {
        using var run = new Run(this);
        return (await run.TranscribeAsync(wavPath, duration, leadIn, follows: false, language, progress, cancellationToken)).Transcript;
    }

    public ITranscriptionRun StartRun() => new Run(this);

    private void GiveBack(PocketSphinxDecoder decoder) => decoders.Return(decoder);

    /// <summary>The engine's settings, once the language and the model are known to be there.</summary>
    private PocketSphinxOptions Settings(string? language)
    {
        if (language is not null && !Transcribes(language))
        {
            throw new MediaProcessingException(
                ITranscriptionEngine.LanguageUnsupportedCode,
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

        return settings;
    }

    private static TimeSpan Timeout(PocketSphinxOptions settings, TimeSpan duration) =>
        TimeSpan.FromSeconds(settings.TimeoutSeconds + (settings.TimeoutFactor * duration.TotalSeconds));

    /// <summary>One <c>pocketsphinx_continuous</c> process for the recording.</summary>
    private static async Task<EngineTranscript> RunProgramAsync(
        string wavPath, TimeSpan duration, TimeSpan leadIn, PocketSphinxOptions settings, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var model = settings.ModelPath;
        var total = Math.Max(duration.TotalSeconds, 0.001);
        var timeout = Timeout(settings, duration);
        var parser = new PocketSphinxOutputParser();
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(
                settings.BinaryPath,
                ["-infile", wavPath, "-hmm", Path.Combine(model, "en-us"), "-lm", Path.Combine(model, "en-us.lm.bin"),
                 "-dict", Path.Combine(model, "cmudict-en-us.dict"), "-time", "yes", "-logfn", "/dev/null", .. settings.SearchArguments],
                timeout,
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
        return new EngineTranscript(AfterLeadIn(parser.Segments, leadIn), ModelName, "en");
    }

    private const string ModelName = "cmusphinx-en-us-5.2";

    /// <summary>
    /// A decoder for this recording: a plain one, or, when the job's custom vocabulary (<see cref="TranscriptionHints"/>)
    /// has words the dictionary lacks, one that also has them with espeak-ng's pronunciations (docs/adr/0024).
    /// </summary>
    private async Task<PocketSphinxDecoder?> RentAsync(CancellationToken cancellationToken)
    {
        var decoder = decoders.Rent();
        var words = VocabularyWords(TranscriptionHints.Vocabulary);
        if (decoder is null || words.Count == 0)
        {
            return decoder;
        }

        var unknown = words.Where(w => !decoder.Knows(w)).ToList();
        if (unknown.Count == 0)
        {
            return decoder;
        }

        IReadOnlyDictionary<string, string> pronounced;
        try
        {
            pronounced = await pronouncer.PronounceAsync(unknown, cancellationToken);
        }
        catch
        {
            decoders.Return(decoder); // cancelled while espeak-ng ran: the decoder is as it was
            throw;
        }

        if (pronounced.Count == 0)
        {
            return decoder;
        }

        decoders.Return(decoder);
        return decoders.Rent(pronounced);
    }

    /// <summary>
    /// The words of a vocabulary's terms as the dictionary writes words (lower case; terms split at spaces and
    /// hyphens); words with other characters than letters and inner apostrophes (digits, symbols) cannot be pronounced
    /// from the dictionary's phones and are left out.
    /// </summary>
    internal static IReadOnlyList<string> VocabularyWords(IReadOnlyList<string> terms) =>
        [.. terms
            .SelectMany(t => t.Split((char[])[' ', '-', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Select(w => w.ToLowerInvariant())
            .Where(w => w.All(c => c is (>= 'a' and <= 'z') or '\'') && char.IsAsciiLetter(w[0]) && char.IsAsciiLetter(w[^1]))
            .Distinct(StringComparer.Ordinal)];

    /// <summary>Decodes on a thread of its own (a decode holds its thread for its whole length), within the time limit.</summary>
    /// <remarks>
    /// With <paramref name="skip"/>, the decoder continues from the audio it decoded last (<see cref="PocketSphinxDecoder.DecodeNext"/>)
    /// with the file's audio after that much of it, and times are moved back to the file's start.
    /// </remarks>
    private static async Task<EngineTranscript> DecodeInProcessAsync(
        PocketSphinxDecoder decoder, string wavPath, PocketSphinxOptions settings, TimeSpan duration, TimeSpan? skip, IProgress<double> progress, CancellationToken cancellationToken)
    {
        var decoded = duration - (skip ?? TimeSpan.Zero);
        var total = Math.Max(decoded.TotalSeconds, 0.001);
        var timeout = Timeout(settings, decoded);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var segments = await Task.Factory.StartNew(
                () =>
                {
                    void Report(double end) => progress.Report(Math.Clamp(end / total, 0, 1));
                    if (skip is { } lead)
                    {
                        using var rest = WavSamples.Open(wavPath);
                        rest.Skip((long)Math.Round(lead.TotalSeconds * WavSamples.SampleRate));
                        return Shifted(decoder.DecodeNext(rest, Report, limit.Token), lead.TotalSeconds);
                    }

                    float[]? mean = null;
                    if (settings.MeanFromRecording)
                    {
                        using var all = WavSamples.Open(wavPath);
                        mean = decoder.MeanOf(all, limit.Token);
                    }

                    using var samples = WavSamples.Open(wavPath);
                    return decoder.Decode(samples, mean, Report, limit.Token);
                },
                limit.Token,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
            progress.Report(1);
            return new EngineTranscript(segments, ModelName, "en");
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaProcessingException("engine.timeout", "The offline engine did not finish in time.", isTransient: true, ex) { Detail = $"decoding took longer than {timeout}" };
        }
        catch (FileNotFoundException ex)
        {
            throw new MediaProcessingException("engine.failed", "The audio to transcribe is missing.", isTransient: true, ex) { Detail = ex.Message };
        }
        catch (InvalidDataException ex)
        {
            throw new MediaProcessingException("engine.failed", "The offline engine cannot read the extracted audio.", isTransient: false, ex) { Detail = ex.Message };
        }
        catch (InvalidOperationException ex)
        {
            throw new MediaProcessingException("engine.failed", "The offline engine failed.", isTransient: true, ex) { Detail = ex.Message };
        }
    }

    /// <summary>The segments with their times moved later by <paramref name="seconds"/> (to the millisecond).</summary>
    private static IReadOnlyList<Segment> Shifted(IReadOnlyList<Segment> segments, double seconds) =>
        [.. segments.Select(s => s with
        {
            Start = Math.Round(s.Start + seconds, 3),
            End = Math.Round(s.End + seconds, 3),
            Words = [.. s.Words.Select(w => w with { Start = Math.Round(w.Start + seconds, 3), End = Math.Round(w.End + seconds, 3) })],
        })];

    /// <summary>
    /// A decoder kept for consecutive parts (docs/adr/0031). A part that follows the last one continues on the same
    /// decoder from its cut; any other part gives the decoder back and decodes as <see cref="TranscribeAsync"/> does
    /// (a fresh part may need a decoder with other words), keeping the decoder for the part after it.
    /// </summary>
    private sealed class Run(PocketSphinxEngine engine) : ITranscriptionRun
    {
        private PocketSphinxDecoder? _decoder;

        public async Task<(EngineTranscript Transcript, bool Continued)> TranscribeAsync(
            string wavPath, TimeSpan duration, TimeSpan leadIn, bool follows, string? language, IProgress<double> progress, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(progress);
            var settings = engine.Settings(language);
            if (follows && settings.Mode == PocketSphinxMode.Library && _decoder is { CanContinue: true } decoder)
            {
                return (await DecodeInProcessAsync(decoder, wavPath, settings, duration, leadIn, progress, cancellationToken), true);
            }

            GiveBack();
            if (settings.Mode == PocketSphinxMode.Library && await engine.RentAsync(cancellationToken) is { } rented)
            {
                _decoder = rented;
                var decoded = await DecodeInProcessAsync(rented, wavPath, settings, duration, skip: null, progress, cancellationToken);
                return (decoded with { Segments = AfterLeadIn(decoded.Segments, leadIn) }, false);
            }

            return (await RunProgramAsync(wavPath, duration, leadIn, settings, progress, cancellationToken), false);
        }

        public void Dispose() => GiveBack();

        private void GiveBack()
        {
            if (_decoder is { } decoder)
            {
                _decoder = null;
                engine.GiveBack(decoder);
            }
        }
    }

    /// <summary>The segments without the words whose middle lies in the lead-in; a segment left without words goes.</summary>
    private static IReadOnlyList<Segment> AfterLeadIn(IReadOnlyList<Segment> segments, TimeSpan leadIn)
    {
        var cut = leadIn.TotalSeconds;
        if (cut <= 0)
        {
            return segments;
        }

        var kept = new List<Segment>(segments.Count);
        foreach (var segment in segments)
        {
            var words = segment.Words.Where(w => (w.Start + w.End) / 2 >= cut).ToList();
            if (words.Count == segment.Words.Count)
            {
                kept.Add(segment);
            }
            else if (words.Count > 0)
            {
                kept.Add(new Segment(
                    Math.Max(segment.Start, words[0].Start),
                    segment.End,
                    string.Join(' ', words.Select(w => w.Text)),
                    Math.Round(words.Average(w => w.Confidence), 4),
                    words));
            }
        }

        return kept;
    }
}
