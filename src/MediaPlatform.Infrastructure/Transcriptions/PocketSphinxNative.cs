using System.Runtime.InteropServices;

namespace MediaPlatform.Infrastructure.Transcriptions;

/// <summary>
/// The C API of Debian's <c>libpocketsphinx3</c> and <c>libsphinxbase3</c> (0.8+5prealpha), the libraries
/// <c>pocketsphinx_continuous</c> is built on. Only what <see cref="PocketSphinxDecoder"/> needs.
/// </summary>
internal static partial class PocketSphinxNative
{
    public const string PocketSphinx = "libpocketsphinx.so.3";
    public const string SphinxBase = "libsphinxbase.so.3";

    /// <summary>Frames per second of the front end (<c>-frate</c>, 100 unless configured otherwise).</summary>
    public const int FrameRate = 100;

    [LibraryImport(PocketSphinx, EntryPoint = "ps_args")]
    public static partial nint Arguments();

    [LibraryImport(SphinxBase, EntryPoint = "cmd_ln_parse_r")]
    public static partial nint ParseArguments(nint inout, nint definitions, int argc, [In] nint[] argv, int strict);

    [LibraryImport(SphinxBase, EntryPoint = "cmd_ln_free_r")]
    public static partial int FreeArguments(nint config);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_init")]
    public static partial nint Init(nint config);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_free")]
    public static partial int Free(nint decoder);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_start_stream")]
    public static partial int StartStream(nint decoder);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_start_utt")]
    public static partial int StartUtterance(nint decoder);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_end_utt")]
    public static partial int EndUtterance(nint decoder);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_process_raw")]
    public static partial int ProcessRaw(nint decoder, ReadOnlySpan<short> samples, nuint count, int noSearch, int fullUtterance);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_get_in_speech")]
    public static partial byte InSpeech(nint decoder);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_seg_iter")]
    public static partial nint SegmentIterator(nint decoder);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_seg_next")]
    public static partial nint SegmentNext(nint segment);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_seg_word")]
    public static partial nint SegmentWord(nint segment);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_seg_frames")]
    public static partial void SegmentFrames(nint segment, out int startFrame, out int endFrame);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_seg_prob")]
    public static partial int SegmentProbability(nint segment, out int acoustic, out int language, out int backoff);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_get_logmath")]
    public static partial nint LogMath(nint decoder);

    [LibraryImport(PocketSphinx, EntryPoint = "ps_get_feat")]
    public static partial nint Features(nint decoder);

    /// <summary>
    /// Sets sphinxbase's one log stream for the whole process; <c>0</c> turns its logging off. (Every decoder made with
    /// <c>-logfn</c> would open a new stream and close the one other decoders are writing to.)
    /// </summary>
    [LibraryImport(SphinxBase, EntryPoint = "err_set_logfp")]
    public static partial void SetLogStream(nint stream);

    [LibraryImport(SphinxBase, EntryPoint = "logmath_exp")]
    public static partial double LogMathExp(nint logMath, int value);

    /// <summary>A front end (MFCC) with a decoder's settings, for <see cref="PocketSphinxDecoder"/>'s mean of a recording's cepstra.</summary>
    [LibraryImport(SphinxBase, EntryPoint = "fe_init_auto_r")]
    public static partial nint FrontEndInit(nint config);

    [LibraryImport(SphinxBase, EntryPoint = "fe_free")]
    public static partial int FrontEndFree(nint frontEnd);

    [LibraryImport(SphinxBase, EntryPoint = "fe_start_stream")]
    public static partial void FrontEndStartStream(nint frontEnd);

    [LibraryImport(SphinxBase, EntryPoint = "fe_start_utt")]
    public static partial int FrontEndStartUtterance(nint frontEnd);

    /// <summary>The cepstra of a block of samples, as a <c>ckd_alloc_2d</c> array of rows (free with <see cref="Free2D"/>).</summary>
    [LibraryImport(SphinxBase, EntryPoint = "fe_process_utt")]
    public static partial int FrontEndProcessUtterance(nint frontEnd, ReadOnlySpan<short> samples, nuint count, out nint cepstra, out int frames);

    [LibraryImport(SphinxBase, EntryPoint = "ckd_free_2d")]
    public static partial void Free2D(nint block);

    /// <summary>The phones of a word in the decoder's dictionary (allocated: free with <see cref="FreeBlock"/>), or 0 when the dictionary lacks it.</summary>
    [LibraryImport(PocketSphinx, EntryPoint = "ps_lookup_word", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LookupWord(nint decoder, string word);

    /// <summary>
    /// Adds a word with its phones to the dictionary and, when the language model lacks it, to the model as a unigram;
    /// <paramref name="update"/> rebuilds the search (needed once, after the last word). The word's id, or negative.
    /// </summary>
    [LibraryImport(PocketSphinx, EntryPoint = "ps_add_word", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int AddWord(nint decoder, string word, string phones, int update);

    [LibraryImport(SphinxBase, EntryPoint = "ckd_free")]
    public static partial void FreeBlock(nint block);

    /// <summary>The language model set of a search (<c>_default</c>: the <c>-lm</c> one).</summary>
    [LibraryImport(PocketSphinx, EntryPoint = "ps_get_lm", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LanguageModel(nint decoder, string search);

    [LibraryImport(SphinxBase, EntryPoint = "ngram_model_set_iter")]
    public static partial nint ModelSetIterator(nint set);

    [LibraryImport(SphinxBase, EntryPoint = "ngram_model_set_iter_model")]
    public static partial nint ModelSetIteratorModel(nint iterator, out nint name);

    [LibraryImport(SphinxBase, EntryPoint = "ngram_model_set_iter_free")]
    public static partial void ModelSetIteratorFree(nint iterator);
}
