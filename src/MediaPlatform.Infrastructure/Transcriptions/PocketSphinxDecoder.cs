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
/// A part of a long recording comes with a lead-in (the audio before its cut), there only so that the decoder's
/// running cepstral mean (live CMN) has settled when it reaches the part's own words. This decoder does not decode
/// the lead-in: it computes the lead-in's cepstra (the front end alone, about a hundredth of the cost of searching
/// them) and sets the running mean to what decoding them would have left, then decodes from the cut. That needs
/// the layout of sphinxbase's <c>feat_t</c> and <c>cmn_t</c>, checked at load (<see cref="CanPrime"/>); when the
/// check fails the lead-in is decoded like the rest, as the program would.
/// </remarks>
internal sealed class PocketSphinxDecoder : IDisposable
{
    private const int BlockSamples = 2048;
    private const int SampleRate = 16000;

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
    private readonly nint _frontEnd;
    private readonly nint _cmn;
    private readonly nint _logMath;
    private readonly float[] _priorMean = new float[CepstrumLength];
    private bool _disposed;

    private PocketSphinxDecoder(nint[] argv, nint config, nint decoder)
    {
        _argv = argv;
        _config = config;
        _decoder = decoder;
        _logMath = PocketSphinxNative.LogMath(decoder);
        var features = PocketSphinxNative.Features(decoder);
        if (features != 0
            && Marshal.ReadInt32(features, FeatCepsizeOffset) == CepstrumLength
            && Marshal.ReadInt32(features, FeatCmnTypeOffset) is CmnBatch or CmnLive
            && Marshal.ReadIntPtr(features, FeatCmnStructOffset) is var cmn and not 0
            && Marshal.ReadInt32(cmn, CmnLengthOffset) == CepstrumLength
            && Marshal.ReadInt32(cmn, CmnFramesOffset) == 0)
        {
            _frontEnd = PocketSphinxNative.FrontEndInit(config);
            if (_frontEnd != 0)
            {
                _cmn = cmn;
                Marshal.Copy(Marshal.ReadIntPtr(cmn, CmnMeanOffset), _priorMean, 0, CepstrumLength);
            }
        }
    }

    /// <summary>Whether a lead-in can settle the decoder without being decoded (see the remarks).</summary>
    public bool CanPrime => _cmn != 0;

    /// <summary>Loads the model; throws <see cref="DllNotFoundException"/> without the libraries, <see cref="InvalidOperationException"/> when the model does not load.</summary>
    public static PocketSphinxDecoder Load(string acousticModel, string languageModel, string dictionary)
    {
        string[] arguments = ["-hmm", acousticModel, "-lm", languageModel, "-dict", dictionary, "-logfn", "/dev/null"];
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

        return new PocketSphinxDecoder(argv, config, decoder);
    }

    /// <summary>
    /// Decodes 16-bit mono samples at 16 kHz, read from <paramref name="samples"/> until it ends. The first
    /// <paramref name="leadInSamples"/> only settle the decoder (see the remarks); times are from the first sample
    /// read. <paramref name="utteranceEnded"/> gets the end (seconds) of each utterance as it is decoded.
    /// </summary>
    public IReadOnlyList<Segment> Decode(Stream samples, int leadInSamples, Action<double> utteranceEnded, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var parser = new PocketSphinxOutputParser();
        var buffer = new short[BlockSamples];
        var offset = 0d;
        ResetMean();
        if (leadInSamples > 0 && CanPrime)
        {
            var leadIn = new short[leadInSamples];
            var read = ReadSamples(samples, leadIn);
            Prime(leadIn.AsSpan(0, read));
            offset = (double)read / SampleRate;
        }

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

        return parser.Segments;
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

    /// <summary>The running mean a fresh decoder starts from (the model's <c>-cmninit</c>), with nothing accumulated.</summary>
    private void ResetMean()
    {
        if (_cmn != 0)
        {
            SetMean(_priorMean, frames: 0);
        }
    }

    /// <summary>
    /// The running mean decoding <paramref name="leadIn"/> would leave: the mean of its cepstra over the frames live
    /// CMN counts (those the front end keeps as speech, with non-negative energy), accumulated over those frames.
    /// </summary>
    private void Prime(ReadOnlySpan<short> leadIn)
    {
        PocketSphinxNative.FrontEndStartStream(_frontEnd);
        PocketSphinxNative.FrontEndStartUtterance(_frontEnd);
        if (PocketSphinxNative.FrontEndProcessUtterance(_frontEnd, leadIn, (nuint)leadIn.Length, out var block, out var frames) < 0 || block == 0)
        {
            return;
        }

        try
        {
            var sum = new double[CepstrumLength];
            var row = new float[CepstrumLength];
            var counted = 0;
            for (var i = 0; i < frames; i++)
            {
                Marshal.Copy(Marshal.ReadIntPtr(block, i * nint.Size), row, 0, CepstrumLength);
                if (row[0] < 0)
                {
                    continue; // cmn_live skips frames without energy
                }

                for (var j = 0; j < CepstrumLength; j++)
                {
                    sum[j] += row[j];
                }

                counted++;
            }

            if (counted > 0)
            {
                SetMean([.. sum.Select(s => (float)(s / counted))], counted);
            }
        }
        finally
        {
            PocketSphinxNative.Free2D(block);
        }
    }

    private void SetMean(float[] mean, int frames)
    {
        Marshal.Copy(mean, 0, Marshal.ReadIntPtr(_cmn, CmnMeanOffset), CepstrumLength);
        var sum = frames == 0 ? new float[CepstrumLength] : [.. mean.Select(m => m * frames)];
        Marshal.Copy(sum, 0, Marshal.ReadIntPtr(_cmn, CmnSumOffset), CepstrumLength);
        Marshal.WriteInt32(_cmn, CmnFramesOffset, frames);
    }

    /// <summary>Feeds the finished utterance to the parser in the program's <c>-time yes</c> lines: one place decides what a word is.</summary>
    private void Collect(PocketSphinxOutputParser parser, double offset, Action<double> utteranceEnded)
    {
        for (var segment = PocketSphinxNative.SegmentIterator(_decoder); segment != 0; segment = PocketSphinxNative.SegmentNext(segment))
        {
            PocketSphinxNative.SegmentFrames(segment, out var startFrame, out var endFrame);
            var confidence = PocketSphinxNative.LogMathExp(_logMath, PocketSphinxNative.SegmentProbability(segment, out _, out _, out _));
            var word = Marshal.PtrToStringUTF8(PocketSphinxNative.SegmentWord(segment));
            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"{word} {offset + ((double)startFrame / PocketSphinxNative.FrameRate):F3} {offset + ((double)endFrame / PocketSphinxNative.FrameRate):F3} {confidence:F6}");
            if (parser.Feed(line) is { } end)
            {
                utteranceEnded(end);
            }
        }
    }
}
