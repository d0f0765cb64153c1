using System.Globalization;
using System.Runtime.InteropServices;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Infrastructure.Transcriptions;

/// <summary>
/// One pocketsphinx decoder with its model loaded, kept between recordings (loading costs about a second; decoding a
/// 30 s part about eight). It decodes a WAV the way <c>pocketsphinx_continuous -infile</c> does (blocks of 2,048
/// samples, an utterance ended whenever the voice activity detector hears silence), and starts every recording from
/// the state a fresh process has, so its transcript is word for word the program's and does not depend on what the
/// decoder heard before (<see cref="DecodeNext"/> is the exception, on purpose: it goes on from the audio decoded last).
/// Not thread-safe: one recording at a time (<see cref="PocketSphinxDecoderPool"/>).
/// </summary>
/// <remarks>
/// A fresh process starts its running cepstral mean (live CMN) from the model's <c>-cmninit</c> with nothing
/// accumulated; a decoder kept loaded would carry the mean of the last recording into the next. So each recording
/// starts by putting the mean back, which needs the layout of sphinxbase's <c>feat_t</c> and <c>cmn_t</c>, checked at
/// load (<see cref="Load"/> refuses a library whose layout it does not recognise, and the engine then runs the
/// program). The mean put back is either the model's (word for word the program) or the recording's own (the mean of
/// its cepstra, <see cref="MeanOf"/>): the model's is a guess from its training data, and the words before live CMN has
/// settled suffer from it, which a recording cut into parts pays at every part (docs/adr/0023).
/// </remarks>
internal sealed class PocketSphinxDecoder : IDisposable
{
    private const int BlockSamples = 2048;

    /// <summary>Samples per front-end call in <see cref="MeanOf"/> (10 s): a long recording is never held whole.</summary>
    private const int MeanBlockSamples = 160_000;

    // sphinxbase 0.8+5prealpha on 64-bit Linux: feat_t.cepsize, feat_t.cmn, feat_t.cmn_struct; cmn_t's fields.
    private const int FeatCepsizeOffset = 16;
    private const int FeatCmnTypeOffset = 68;
    private const int FeatCmnStructOffset = 88;
    private const int CmnMeanOffset = 0;
    private const int CmnSumOffset = 16;
    private const int CmnFramesOffset = 24;
    private const int CmnLengthOffset = 28;
    // The model asks for batch CMN (feat.params); outside whole-utterance decoding sphinxbase runs it live anyway.
    private const int CmnBatch = 1;
    private const int CmnLive = 2;
    private const int CepstrumLength = 13;

    // sphinxbase 0.8+5prealpha on 64-bit Linux: ngram_model_t.n_counts and .n, ngram_model_trie_t.trie, lm_trie_t's
    // middle_begin, middle_end and longest, sizeof(middle_t), base_t.max_vocab (the same in middle_t and longest_t).
    private const int ModelCountsOffset = 8;
    private const int ModelOrderOffset = 24;
    private const int ModelTrieOffset = 96;
    private const int TrieMiddleBeginOffset = 24;
    private const int TrieMiddleEndOffset = 32;
    private const int TrieLongestOffset = 40;
    private const int MiddleSize = 48;
    private const int MaxVocabularyOffset = 20;

    private readonly nint[] _argv;
    private readonly nint _config;
    private readonly nint _decoder;
    private readonly nint _cmn;
    private readonly nint _logMath;
    private readonly nint _frontEnd;
    private readonly float[] _priorMean = new float[CepstrumLength];
    private double _streamSeconds;
    private bool _disposed;

    private PocketSphinxDecoder(nint[] argv, nint config, nint decoder, nint cmn)
    {
        _argv = argv;
        _config = config;
        _decoder = decoder;
        _cmn = cmn;
        _logMath = PocketSphinxNative.LogMath(decoder);
        // After ps_init, the configuration holds the model's feat.params: the same cepstra the decoder computes.
        _frontEnd = PocketSphinxNative.FrontEndInit(config);
        Marshal.Copy(Marshal.ReadIntPtr(cmn, CmnMeanOffset), _priorMean, 0, CepstrumLength);
    }

    /// <summary>
    /// sphinxbase logs through one process-wide stream. A decoder made with <c>-logfn</c> opens a new stream and
    /// closes the old one, which another decoder may be writing to at that moment (one loading, or one decoding, on
    /// another thread): the test host crashed of it. So logging is turned off once, before the first decoder, and no
    /// decoder names a log file; and decoders are made one at a time.
    /// </summary>
    private static readonly Lock Loading = new();
    private static bool _loggingOff;

    /// <summary>Loads the model with the program's <paramref name="search"/> arguments (<c>-fwdflat no</c> and the like); throws <see cref="DllNotFoundException"/> without the libraries, <see cref="InvalidOperationException"/> when the model does not load.</summary>
    public static PocketSphinxDecoder Load(string acousticModel, string languageModel, string dictionary, IReadOnlyList<string> search)
    {
        lock (Loading)
        {
            if (!_loggingOff)
            {
                PocketSphinxNative.SetLogStream(0);
                _loggingOff = true;
            }

            return LoadOne(acousticModel, languageModel, dictionary, search);
        }
    }

    private static PocketSphinxDecoder LoadOne(string acousticModel, string languageModel, string dictionary, IReadOnlyList<string> search)
    {
        string[] arguments = ["-hmm", acousticModel, "-lm", languageModel, "-dict", dictionary, .. search];
        var argv = arguments.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
        var config = PocketSphinxNative.ParseArguments(0, PocketSphinxNative.Arguments(), argv.Length, argv, 1);
        var decoder = config == 0 ? 0 : PocketSphinxNative.Init(config);
        if (decoder == 0)
        {
            if (config != 0)
            {
                PocketSphinxNative.FreeArguments(config);
            }

            Array.ForEach(argv, Marshal.FreeCoTaskMem);
            throw new InvalidOperationException($"pocketsphinx could not load its model from {acousticModel}.");
        }

        var cmn = RunningMean(decoder);
        if (cmn == 0)
        {
            PocketSphinxNative.Free(decoder);
            PocketSphinxNative.FreeArguments(config);
            Array.ForEach(argv, Marshal.FreeCoTaskMem);
            throw new InvalidOperationException("pocketsphinx's feature layout is not the one this decoder knows (sphinxbase 0.8+5prealpha); decode with the program instead.");
        }

        return new PocketSphinxDecoder(argv, config, decoder, cmn);
    }

    /// <summary>The decoder's <c>cmn_t</c>, when its <c>feat_t</c> has the layout this class knows; else 0.</summary>
    private static nint RunningMean(nint decoder)
    {
        var features = PocketSphinxNative.Features(decoder);
        return features != 0
            && Marshal.ReadInt32(features, FeatCepsizeOffset) == CepstrumLength
            && Marshal.ReadInt32(features, FeatCmnTypeOffset) is CmnBatch or CmnLive
            && Marshal.ReadIntPtr(features, FeatCmnStructOffset) is var cmn and not 0
            && Marshal.ReadInt32(cmn, CmnLengthOffset) == CepstrumLength
            && Marshal.ReadInt32(cmn, CmnFramesOffset) == 0
            ? cmn
            : 0;
    }

    /// <summary>
    /// The words this decoder has beyond its model's dictionary (<see cref="AddWords"/>), as one key: empty for a
    /// decoder as loaded. Words added stay for the decoder's life, so the pool keeps such decoders apart.
    /// </summary>
    public string AddedWords { get; private set; } = "";

    /// <summary>Whether the dictionary has <paramref name="word"/> (as spelled: the model's words are lower case).</summary>
    public bool Knows(string word)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var phones = PocketSphinxNative.LookupWord(_decoder, word);
        if (phones == 0)
        {
            return false;
        }

        PocketSphinxNative.FreeBlock(phones);
        return true;
    }

    /// <summary>
    /// Adds words with their pronunciations (ARPAbet phones, space separated) to the dictionary, and each word the
    /// language model lacks to it as a unigram with pocketsphinx's own weight (the uniform probability); then the
    /// search is rebuilt once. Only on a decoder that has added none yet; a word refused (a phone the model lacks)
    /// throws <see cref="InvalidOperationException"/>, and the decoder is then unfit for use.
    /// </summary>
    public void AddWords(IReadOnlyDictionary<string, string> pronunciations, string key)
    {
        ArgumentNullException.ThrowIfNull(pronunciations);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (AddedWords.Length > 0)
        {
            throw new InvalidOperationException("This decoder already has added words.");
        }

        var layers = TrieLayers(out var counts);
        var known = (uint)Marshal.ReadInt32(counts);
        if (layers.Any(l => (uint)Marshal.ReadInt32(l, MaxVocabularyOffset) != known))
        {
            throw new InvalidOperationException("pocketsphinx's language model layout is not the one this decoder knows (sphinxbase 0.8+5prealpha).");
        }

        var left = pronunciations.Count;
        foreach (var (word, phones) in pronunciations)
        {
            left--;
            Check(PocketSphinxNative.AddWord(_decoder, word, phones, left == 0 ? 1 : 0), $"ps_add_word({word})");
        }

        // A word the language model lacks gets a unigram with an id past the last one. The trie's interpolation search
        // assumes no id is above its max_vocab (the unigram count at load): given one, as the history of an n-gram
        // lookup, it reads past the layer's end, and the process died of it (10 or more such words, found by the
        // vocabulary figure). Raising max_vocab to the new count keeps every search inside its range.
        var now = Marshal.ReadInt32(counts);
        foreach (var layer in layers)
        {
            Marshal.WriteInt32(layer, MaxVocabularyOffset, now);
        }

        AddedWords = key;
    }

    /// <summary>
    /// The middle and longest layers of the <c>-lm</c> model's trie, and its n-gram counts; throws
    /// <see cref="InvalidOperationException"/> where the layout is not the known one.
    /// </summary>
    private List<nint> TrieLayers(out nint counts)
    {
        var set = PocketSphinxNative.LanguageModel(_decoder, "_default");
        var iterator = set == 0 ? 0 : PocketSphinxNative.ModelSetIterator(set);
        var model = iterator == 0 ? 0 : PocketSphinxNative.ModelSetIteratorModel(iterator, out _);
        if (iterator != 0)
        {
            PocketSphinxNative.ModelSetIteratorFree(iterator);
        }

        var trie = model == 0 ? 0 : Marshal.ReadIntPtr(model, ModelTrieOffset);
        counts = model == 0 ? 0 : Marshal.ReadIntPtr(model, ModelCountsOffset);
        int order = model == 0 ? 0 : Marshal.ReadByte(model, ModelOrderOffset);
        if (trie == 0 || counts == 0 || order is < 2 or > 5)
        {
            throw new InvalidOperationException("pocketsphinx's language model is not the trie this decoder knows (sphinxbase 0.8+5prealpha).");
        }

        var begin = Marshal.ReadIntPtr(trie, TrieMiddleBeginOffset);
        var end = Marshal.ReadIntPtr(trie, TrieMiddleEndOffset);
        var longest = Marshal.ReadIntPtr(trie, TrieLongestOffset);
        if (longest == 0 || (end - begin) != (order - 2) * MiddleSize)
        {
            throw new InvalidOperationException("pocketsphinx's language model layout is not the one this decoder knows (sphinxbase 0.8+5prealpha).");
        }

        return [.. Enumerable.Range(0, order - 2).Select(i => begin + (i * MiddleSize)), longest];
    }

    /// <summary>
    /// The mean cepstrum of 16-bit mono samples at 16 kHz (read until the stream ends) over the frames live CMN counts
    /// (those with energy: c0 not negative), the mean that CMN would settle on over the whole recording; null when the
    /// front end is missing or no frame counts (silence).
    /// </summary>
    public float[]? MeanOf(Stream samples, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_frontEnd == 0)
        {
            return null;
        }

        var sum = new double[CepstrumLength];
        var row = new float[CepstrumLength];
        var buffer = new short[MeanBlockSamples];
        var counted = 0L;
        int count;
        while ((count = ReadSamples(samples, buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            PocketSphinxNative.FrontEndStartStream(_frontEnd);
            PocketSphinxNative.FrontEndStartUtterance(_frontEnd);
            if (PocketSphinxNative.FrontEndProcessUtterance(_frontEnd, buffer, (nuint)count, out var block, out var frames) < 0 || block == 0)
            {
                continue;
            }

            try
            {
                for (var i = 0; i < frames; i++)
                {
                    Marshal.Copy(Marshal.ReadIntPtr(block, i * nint.Size), row, 0, CepstrumLength);
                    if (row[0] < 0)
                    {
                        continue;
                    }

                    for (var j = 0; j < CepstrumLength; j++)
                    {
                        sum[j] += row[j];
                    }

                    counted++;
                }
            }
            finally
            {
                PocketSphinxNative.Free2D(block);
            }
        }

        return counted == 0 ? null : [.. sum.Select(s => (float)(s / counted))];
    }

    /// <summary>
    /// Whether <see cref="DecodeNext"/> may continue from the audio decoded last: true after a decode that read its
    /// audio to the end, false before the first and after one that failed or was cancelled.
    /// </summary>
    public bool CanContinue { get; private set; }

    /// <summary>
    /// Decodes 16-bit mono samples at 16 kHz, read from <paramref name="samples"/> until it ends; times are from the
    /// first sample read. <paramref name="utteranceEnded"/> gets the end (seconds) of each utterance as it is decoded.
    /// Live CMN starts from <paramref name="startMean"/> (<see cref="MeanOf"/>), or from the model's mean when null.
    /// </summary>
    public IReadOnlyList<Segment> Decode(Stream samples, float[]? startMean, Action<double> utteranceEnded, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (startMean is { Length: not CepstrumLength })
        {
            throw new ArgumentException($"A cepstral mean has {CepstrumLength} values.", nameof(startMean));
        }

        CanContinue = false;
        ResetMean(startMean ?? _priorMean);
        Check(PocketSphinxNative.StartStream(_decoder), "ps_start_stream");
        _streamSeconds = 0;
        return DecodeStream(samples, utteranceEnded, cancellationToken);
    }

    /// <summary>
    /// Decodes samples that continue the audio decoded last (<see cref="CanContinue"/>), the way a decoder reading
    /// both as one file would, except that an utterance still open at the end of the last audio was ended there: the
    /// running cepstral mean and the front end's noise estimate carry on (docs/adr/0031). Times are from the first
    /// sample read.
    /// </summary>
    public IReadOnlyList<Segment> DecodeNext(Stream samples, Action<double> utteranceEnded, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!CanContinue)
        {
            throw new InvalidOperationException("This decoder has no decoded audio to continue from.");
        }

        CanContinue = false;
        return DecodeStream(samples, utteranceEnded, cancellationToken);
    }

    /// <summary>
    /// Decodes on from the stream's state. The decoder counts times from the stream's start; they are moved to this
    /// audio's start by the audio read before it.
    /// </summary>
    private List<Segment> DecodeStream(Stream samples, Action<double> utteranceEnded, CancellationToken cancellationToken)
    {
        var offset = _streamSeconds;
        var parser = new PocketSphinxOutputParser();
        var buffer = new short[BlockSamples];
        var read = 0L;
        Check(PocketSphinxNative.StartUtterance(_decoder), "ps_start_utt");
        var inUtterance = false;
        try
        {
            int count;
            while ((count = ReadSamples(samples, buffer)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                read += count;
                PocketSphinxNative.ProcessRaw(_decoder, buffer, (nuint)count, 0, 0);
                var inSpeech = PocketSphinxNative.InSpeech(_decoder) != 0;
                if (inSpeech && !inUtterance)
                {
                    inUtterance = true;
                }
                else if (!inSpeech && inUtterance)
                {
                    PocketSphinxNative.EndUtterance(_decoder);
                    Collect(parser, offset, utteranceEnded);
                    Check(PocketSphinxNative.StartUtterance(_decoder), "ps_start_utt");
                    inUtterance = false;
                }
            }
        }
        finally
        {
            PocketSphinxNative.EndUtterance(_decoder);
        }

        if (inUtterance)
        {
            Collect(parser, offset, utteranceEnded);
        }

        _streamSeconds = offset + ((double)read / WavSamples.SampleRate);
        CanContinue = true;
        return [.. parser.Segments];
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_frontEnd != 0)
        {
            PocketSphinxNative.FrontEndFree(_frontEnd);
        }

        PocketSphinxNative.Free(_decoder);
        PocketSphinxNative.FreeArguments(_config);
        Array.ForEach(_argv, Marshal.FreeCoTaskMem);
    }

    /// <summary>Reads as many whole samples as fit; 0 at the end of the stream.</summary>
    private static int ReadSamples(Stream stream, short[] into)
    {
        var bytes = MemoryMarshal.AsBytes(into.AsSpan());
        var filled = 0;
        int read;
        while (filled < bytes.Length && (read = stream.Read(bytes[filled..])) > 0)
        {
            filled += read;
        }

        return filled / sizeof(short);
    }

    private static void Check(int result, string call)
    {
        if (result < 0)
        {
            throw new InvalidOperationException($"pocketsphinx: {call} failed ({result}).");
        }
    }

    /// <summary>
    /// Live CMN as a fresh decoder has it, nothing accumulated, but starting from <paramref name="mean"/> (a fresh
    /// decoder's is the model's <c>-cmninit</c>); after the first utterance, its own frames decide, as in any decoder.
    /// </summary>
    private void ResetMean(float[] mean)
    {
        Marshal.Copy(mean, 0, Marshal.ReadIntPtr(_cmn, CmnMeanOffset), CepstrumLength);
        Marshal.Copy(new float[CepstrumLength], 0, Marshal.ReadIntPtr(_cmn, CmnSumOffset), CepstrumLength);
        Marshal.WriteInt32(_cmn, CmnFramesOffset, 0);
    }

    /// <summary>
    /// Feeds the finished utterance to the parser in the program's <c>-time yes</c> lines (one place decides what a
    /// word is), its times less <paramref name="offset"/>.
    /// </summary>
    private void Collect(PocketSphinxOutputParser parser, double offset, Action<double> utteranceEnded)
    {
        for (var segment = PocketSphinxNative.SegmentIterator(_decoder); segment != 0; segment = PocketSphinxNative.SegmentNext(segment))
        {
            PocketSphinxNative.SegmentFrames(segment, out var startFrame, out var endFrame);
            var confidence = PocketSphinxNative.LogMathExp(_logMath, PocketSphinxNative.SegmentProbability(segment, out _, out _, out _));
            var word = Marshal.PtrToStringUTF8(PocketSphinxNative.SegmentWord(segment));
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"{word} {Math.Max(0, ((double)startFrame / PocketSphinxNative.FrameRate) - offset):F3} {Math.Max(0, ((double)endFrame / PocketSphinxNative.FrameRate) - offset):F3} {confidence:F6}");
            if (parser.Feed(line) is { } end)
            {
                utteranceEnded(end);
            }
        }
    }
}
