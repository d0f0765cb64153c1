using System.Text.RegularExpressions;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Infrastructure.Transcriptions;
using MediaPlatform.TestSupport.Media;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Tests.Transcriptions;

/// <summary>
/// The offline engine's custom vocabulary: words its dictionary lacks get espeak-ng's pronunciation in the model's
/// ARPAbet and are added to a decoder of their own. Measured on real speech by taking words out of a copy of the
/// dictionary: the decoder cannot hear a word it has no pronunciation for, and hears it again when the vocabulary
/// names it (the language model still knows these words; a new name would have only the unigram the decoder adds).
/// </summary>
public sealed partial class CustomVocabularyTests : IDisposable
{
    private const string Model = SpeechModels.Debian;

    /// <summary>The librivox set's words of seven letters or more (its rarer words), chosen by that rule alone.</summary>
    private static readonly string[] Targets =
        ["dashwood", "leisure", "consider", "prudently", "disposed", "hearted", "selfish", "married", "amiable", "respectable", "himself"];

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mp-vocabulary-");
    private readonly List<PocketSphinxDecoderPool> _pools = [];

    public void Dispose()
    {
        _pools.ForEach(p => p.Dispose());
        _work.Delete(recursive: true);
    }

    [Theory]
    [InlineData("d_'a_S_w_U_d", "D AE SH W UH D")]
    [InlineData("k_j_'u:_b_3_n_,i:_t_s", "K Y UW B ER N IY T S")]
    [InlineData("m_'i:_d_I2_;_,oU", "M IY D IY OW")]
    [InlineData("m_j_,u:_h_a#_b_'A@_r_@", "M Y UW HH AH B AA R AH")]
    [InlineData("r_I#_s_p_'E_k_t_@_b_@L", "R IH S P EH K T AH B AH L")]
    public void Espeak_phonemes_are_written_in_the_models_arpabet(string espeak, string arpabet) =>
        Assert.Equal(arpabet, EspeakPhonemes.ToArpabet(espeak));

    [Fact]
    public void A_phoneme_without_an_arpabet_counterpart_leaves_the_word_out() =>
        Assert.Null(EspeakPhonemes.ToArpabet("d_'a_Q_d"));

    [Fact]
    public void Vocabulary_terms_become_the_dictionarys_lower_case_words_and_what_cannot_be_pronounced_is_left_out() =>
        Assert.Equal(
            ["kubernetes", "anand", "nguyen", "gpt", "o'brien"],
            PocketSphinxEngine.VocabularyWords(["Kubernetes", "Anand Nguyen", "GPT-4", "O'Brien", "C++", "anand", "x'"]));

    [Fact]
    public async Task Espeak_pronunciations_agree_with_the_cmu_dictionary_for_most_words()
    {
        // Every 45th plain word of the dictionary (2,596 words), its first pronunciation (the model's phones carry no
        // stress): 58 % agree
        // phone for phone (most differences are unstressed vowels: AH for IH, as in "mountainsides").
        var reference = File.ReadLines(Path.Combine(Model, "cmudict-en-us.dict"))
            .Where((_, i) => i % 45 == 0)
            .Select(l => l.Split(' ', 2))
            .Where(p => PlainWord().IsMatch(p[0]))
            .ToDictionary(p => p[0], p => p[1].Trim());

        var pronounced = await Pronouncer().PronounceAsync(reference.Keys, CancellationToken.None);

        var same = pronounced.Count(p => p.Value == reference[p.Key]);
        Assert.True(pronounced.Count >= reference.Count * 0.98, $"{pronounced.Count} of {reference.Count} words pronounced");
        Assert.True(same >= reference.Count * 0.5, $"{same} of {reference.Count} pronunciations as the dictionary's");
    }

    [Fact]
    public async Task A_word_missing_from_the_dictionary_is_heard_once_the_vocabulary_names_it()
    {
        var engine = Engine(ModelWithout(Targets));

        var without = await HeardAsync(engine, vocabulary: []);
        var with = await HeardAsync(engine, vocabulary: ["Dashwood", "leisure", "Consider", "prudently", "disposed", "hearted", "selfish", "married", "Amiable", "respectable", "himself"]);

        Assert.Equal(0, without.Heard);
        // Measured: 9 of 13.
        Assert.True(with.Heard >= 7, $"{with.Heard} of {with.Occurrences} target words heard with the vocabulary");
    }

    [Fact]
    public void Words_the_language_model_lacks_are_heard_and_decoding_them_stays_inside_the_models_memory()
    {
        // The targets under names neither the dictionary nor the language model has, with the dictionary's phones: the
        // decoder gives them unigrams of their own. Before the trie's max_vocab was raised, hearing ten or more such
        // words made the trie's search read past its layers, and the test host died of it (found by build/bench.sh).
        var model = ModelWithout(Targets);
        var pronunciations = SpeechModels.Pronunciations(Targets).ToDictionary(p => p.Key + "x", p => p.Value);
        var decoder = Pool(model).Rent(pronunciations)!;
        Assert.Equal(Targets.Length, pronunciations.Count);
        Assert.NotEqual("", decoder.AddedWords);

        int heard = 0, occurrences = 0;
        for (var round = 0; round < 2; round++)
        {
            foreach (var (path, reference) in SpeechSamples.Librivox())
            {
                using var samples = WavSamples.Open(path);
                var words = decoder.Decode(samples, null, _ => { }, CancellationToken.None).SelectMany(s => s.Words).Select(w => w.Text).ToList();
                var (found, said) = SpeechSamples.TargetsHeard(reference, words, Targets, spelled: t => t + "x");
                heard += found;
                occurrences += said;
            }
        }

        // Measured: 7 of 13 each round.
        Assert.True(heard >= 10, $"{heard} of {occurrences} words the language model lacks heard in two rounds");
    }

    [Fact]
    public async Task Decoders_given_a_vocabulary_are_not_lent_to_recordings_without_it()
    {
        var pool = Pool(Model);
        var given = pool.Rent(new Dictionary<string, string> { ["zorblat"] = "Z AO R B L AE T" })!;
        Assert.True(given.Knows("zorblat"));
        pool.Return(given);

        var plain = pool.Rent()!;
        Assert.False(plain.Knows("zorblat"));
        Assert.Same(given, pool.Rent(new Dictionary<string, string> { ["zorblat"] = "Z AO R B L AE T" }));
        pool.Return(plain);
    }

    /// <summary>Occurrences of the target words in the librivox references, and how many of them the engine heard (per recording, the fewer of the two counts).</summary>
    private static async Task<(int Heard, int Occurrences)> HeardAsync(PocketSphinxEngine engine, IReadOnlyList<string> vocabulary)
    {
        int heard = 0, occurrences = 0;
        using var hints = TranscriptionHints.Use(vocabulary);
        foreach (var (path, reference) in SpeechSamples.Librivox())
        {
            var transcript = await engine.TranscribeAsync(path, SpeechSamples.Duration(path), TimeSpan.Zero, "en", new Progress<double>());
            var words = transcript.Segments.SelectMany(s => s.Words).Select(w => w.Text.ToLowerInvariant()).ToList();
            var (found, said) = SpeechSamples.TargetsHeard(reference, words, Targets);
            heard += found;
            occurrences += said;
        }

        return (heard, occurrences);
    }

    private string ModelWithout(IReadOnlyCollection<string> words) => SpeechModels.WithoutDictionaryWords(_work.FullName, words);

    private PocketSphinxEngine Engine(string model)
    {
        var options = new TranscriptionOptions();
        options.PocketSphinx.ModelPath = model;
        return new PocketSphinxEngine(Options.Create(options), Pool(model), Pronouncer());
    }

    private PocketSphinxDecoderPool Pool(string model)
    {
        var options = new TranscriptionOptions();
        options.PocketSphinx.ModelPath = model;
        var pool = new PocketSphinxDecoderPool(Options.Create(options), NullLogger<PocketSphinxDecoderPool>.Instance);
        _pools.Add(pool);
        return pool;
    }

    private static EspeakPronouncer Pronouncer() => new(Options.Create(new TranscriptionOptions()), NullLogger<EspeakPronouncer>.Instance);

    [GeneratedRegex("^[a-z]+$")]
    private static partial Regex PlainWord();
}
