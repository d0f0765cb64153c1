using System.ComponentModel.DataAnnotations;

namespace MediaPlatform.Infrastructure.Transcriptions;

/// <summary>The offline engine: Debian's <c>pocketsphinx</c> with the <c>pocketsphinx-en-us</c> model.</summary>
public sealed class PocketSphinxOptions
{
    /// <summary>
    /// <c>library</c>: decode in this process with the model kept loaded (falls back to the program where the
    /// libraries cannot be loaded); <c>process</c>: one <see cref="BinaryPath"/> process per recording.
    /// </summary>
    public PocketSphinxMode Mode { get; set; } = PocketSphinxMode.Library;

    /// <summary>
    /// In <c>library</c> mode, each recording (or part) starts its running cepstral mean from its own audio's mean
    /// instead of the model's: more accurate where the mean has not settled yet, at the start of every recording and
    /// of every part of a long one (docs/adr/0023). false: word for word the program.
    /// </summary>
    public bool MeanFromRecording { get; set; } = true;

    /// <summary>
    /// Whether the decoder runs pocketsphinx's second pass (<c>-fwdflat</c>, the flat-lexicon search over the first
    /// pass's words) before the lattice's best path. Off by default: with this model the best path over the first
    /// pass's lattice was measured both faster and more accurate (docs/adr/0032). Both modes use the same setting;
    /// true gives the program's default search.
    /// </summary>
    public bool FlatLexiconPass { get; set; }

    /// <summary>The search arguments these settings add to the model's (the same for the library and the program).</summary>
    internal IReadOnlyList<string> SearchArguments => FlatLexiconPass ? [] : ["-fwdflat", "no"];

    /// <summary>espeak-ng, which gives a custom vocabulary's words missing from the dictionary their pronunciations.</summary>
    [Required]
    public string EspeakPath { get; set; } = "espeak-ng";

    [Required]
    public string BinaryPath { get; set; } = "pocketsphinx_continuous";

    /// <summary>The folder holding <c>en-us/</c>, <c>en-us.lm.bin</c> and <c>cmudict-en-us.dict</c>.</summary>
    [Required]
    public string ModelPath { get; set; } = "/usr/share/pocketsphinx/model/en-us";

    /// <summary>Decoding may take this many seconds plus <see cref="TimeoutFactor"/> times the audio's duration.</summary>
    [Range(1, 36000)]
    public int TimeoutSeconds { get; set; } = 60;

    [Range(0.1, 100)]
    public double TimeoutFactor { get; set; } = 3;
}

/// <summary>How the offline engine runs (<see cref="PocketSphinxOptions.Mode"/>).</summary>
public enum PocketSphinxMode
{
    Library,
    Process,
}
