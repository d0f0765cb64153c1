using System.Globalization;
using System.Runtime.InteropServices;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Infrastructure.Transcriptions;

/// <summary>
/// One pocketsphinx decoder with its model loaded, kept between recordings (loading costs about a second; decoding a
/// 30 s part about eight). It decodes a WAV the way <c>pocketsphinx_continuous -infile</c> does (blocks of 2,048
/// samples, an utterance ended whenever the voice activity detector hears silence), and starts every recording from
/// the state a fresh process has, so its transcript is word for word the program's and does not depend on what the
/// decoder heard before. Not thread-safe: one recording at a time (<see cref="PocketSphinxDecoderPool"/>).
/// </summary>
/// <remarks>
/// A fresh process starts its running cepstral mean (live CMN) from the model's <c>-cmninit</c> with nothing
/// accumulated; a decoder kept loaded would carry the mean of the last recording into the next. So each recording
/// starts by putting the mean back, which needs the layout of sphinxbase's <c>feat_t</c> and <c>cmn_t</c>, checked at
/// load (<see cref="Load"/> refuses a library whose layout it does not recognise, and the engine then runs the
/// program). A part's lead-in is decoded like the rest, as the program would: settling the mean from the lead-in's
/// cepstra alone (without searching them) was tried and cost accuracy (ADR 0015).
/// </remarks>
internal sealed class PocketSphinxDecoder : IDisposable
{
    private const int BlockSamples = 2048;

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

    private readonly nint[] _argv;
    private readonly nint _config;
    private readonly nint _decoder;
    private readonly nint _cmn;
    private readonly nint _logMath;
    private readonly float[] _priorMean = new float[CepstrumLength];
    private bool _disposed;

    private PocketSphinxDecoder(nint[] argv, nint config, nint decoder, nint cmn)
    {
        _argv = argv;
        _config = config;
        _decoder = decoder;
        _cmn = cmn;
        _logMath = PocketSphinxNative.LogMath(decoder);
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

    /// <summary>Loads the model; throws <see cref="DllNotFoundException"/> without the libraries, <see cref="InvalidOperationException"/> when the model does not load.</summary>
    public static PocketSphinxDecoder Load(string acousticModel, string languageModel, string dictionary)
    {
        lock (Loading)
        {
            if (!_loggingOff)
            {
                PocketSphinxNative.SetLogStream(0);
                _loggingOff = true;
            }

            return LoadOne(acousticModel, languageModel, dictionary);
        }
    }

    private static PocketSphinxDecoder LoadOne(string acousticModel, string languageModel, string dictionary)
    {
        string[] arguments = ["-hmm", acousticModel, "-lm", languageModel, "-dict", dictionary];
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
    /// Decodes 16-bit mono samples at 16 kHz, read from <paramref name="samples"/> until it ends; times are from the
    /// first sample read. <paramref name="utteranceEnded"/> gets the end (seconds) of each utterance as it is decoded.
    /// </summary>
    public IReadOnlyList<Segment> Decode(Stream samples, Action<double> utteranceEnded, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var parser = new PocketSphinxOutputParser();
        var buffer = new short[BlockSamples];
        ResetMean();

        Check(PocketSphinxNative.StartStream(_decoder), "ps_start_stream");
        Check(PocketSphinxNative.StartUtterance(_decoder), "ps_start_utt");
        var inUtterance = false;
        try
        {
            int count;
            while ((count = ReadSamples(samples, buffer)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                PocketSphinxNative.ProcessRaw(_decoder, buffer, (nuint)count, 0, 0);
                var inSpeech = PocketSphinxNative.InSpeech(_decoder) != 0;
                if (inSpeech && !inUtterance)
                {
                    inUtterance = true;
                }
                else if (!inSpeech && inUtterance)
                {
                    PocketSphinxNative.EndUtterance(_decoder);
                    Collect(parser, utteranceEnded);
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
            Collect(parser, utteranceEnded);
        }

        return parser.Segments;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
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

    /// <summary>The running mean a fresh decoder starts from (the model's <c>-cmninit</c>), with nothing accumulated.</summary>
    private void ResetMean()
    {
        Marshal.Copy(_priorMean, 0, Marshal.ReadIntPtr(_cmn, CmnMeanOffset), CepstrumLength);
        Marshal.Copy(new float[CepstrumLength], 0, Marshal.ReadIntPtr(_cmn, CmnSumOffset), CepstrumLength);
        Marshal.WriteInt32(_cmn, CmnFramesOffset, 0);
    }

    /// <summary>Feeds the finished utterance to the parser in the program's <c>-time yes</c> lines: one place decides what a word is.</summary>
    private void Collect(PocketSphinxOutputParser parser, Action<double> utteranceEnded)
    {
        for (var segment = PocketSphinxNative.SegmentIterator(_decoder); segment != 0; segment = PocketSphinxNative.SegmentNext(segment))
        {
            PocketSphinxNative.SegmentFrames(segment, out var startFrame, out var endFrame);
            var confidence = PocketSphinxNative.LogMathExp(_logMath, PocketSphinxNative.SegmentProbability(segment, out _, out _, out _));
            var word = Marshal.PtrToStringUTF8(PocketSphinxNative.SegmentWord(segment));
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"{word} {(double)startFrame / PocketSphinxNative.FrameRate:F3} {(double)endFrame / PocketSphinxNative.FrameRate:F3} {confidence:F6}");
            if (parser.Feed(line) is { } end)
            {
                utteranceEnded(end);
            }
        }
    }
}
