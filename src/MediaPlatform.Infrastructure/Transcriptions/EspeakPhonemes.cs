namespace MediaPlatform.Infrastructure.Transcriptions;

/// <summary>
/// espeak-ng's American English phonemes (its <c>-x</c> mnemonics, <c>--sep=_</c>) written in the CMU dictionary's
/// ARPAbet, the phone set of pocketsphinx's <c>en-us</c> model. Stress and syllable marks are dropped (the model's
/// phones carry none); espeak's variants of a vowel map to the one ARPAbet vowel nearest to them.
/// </summary>
internal static class EspeakPhonemes
{
    private static readonly Dictionary<string, string> Arpabet = new(StringComparer.Ordinal)
    {
        // Consonants.
        ["p"] = "P", ["b"] = "B", ["t"] = "T", ["t#"] = "T", ["t2"] = "T", ["d"] = "D", ["k"] = "K", ["g"] = "G",
        ["x"] = "K", ["f"] = "F", ["v"] = "V", ["T"] = "TH", ["D"] = "DH", ["s"] = "S", ["z"] = "Z", ["S"] = "SH",
        ["Z"] = "ZH", ["h"] = "HH", ["tS"] = "CH", ["dZ"] = "JH", ["m"] = "M", ["n"] = "N", ["N"] = "NG",
        ["l"] = "L", ["r"] = "R", ["r-"] = "R", ["j"] = "Y", ["w"] = "W",
        // Syllabic consonants.
        ["n-"] = "AH N", ["m-"] = "AH M", ["l-"] = "AH L", ["@L"] = "AH L",
        // Vowels.
        ["a"] = "AE", ["aa"] = "AE", ["a#"] = "AH", ["A"] = "AA", ["A:"] = "AA", ["0"] = "AA", ["V"] = "AH",
        ["@"] = "AH", ["@-"] = "AH", ["@2"] = "AH", ["@5"] = "AH", ["E"] = "EH", ["e"] = "EH", ["I"] = "IH",
        ["I#"] = "IH", ["I2"] = "IH", ["i"] = "IY", ["i:"] = "IY", ["O"] = "AO", ["O:"] = "AO", ["O2"] = "AO",
        ["U"] = "UH", ["u"] = "UW", ["u:"] = "UW", ["3"] = "ER", ["3:"] = "ER",
        // Diphthongs and r-coloured vowels.
        ["eI"] = "EY", ["aI"] = "AY", ["aU"] = "AW", ["oU"] = "OW", ["o"] = "OW", ["OI"] = "OY", ["ju:"] = "Y UW",
        ["A@"] = "AA R", ["o@"] = "AO R", ["O@"] = "AO R", ["e@"] = "EH R", ["i@"] = "IH R", ["i@3"] = "IH R",
        ["I@"] = "IH R", ["U@"] = "UH R", ["u@"] = "UH R", ["aI@"] = "AY ER", ["aI3"] = "AY ER", ["aU@"] = "AW ER",
    };

    /// <summary>
    /// The ARPAbet phones (space separated) of one word's espeak-ng phonemes, e.g. <c>d_'a_S_w_U_d</c> gives
    /// <c>D AE SH W UH D</c>; null when a phoneme has no ARPAbet counterpart here (the word is then left out).
    /// </summary>
    public static string? ToArpabet(string phonemes)
    {
        ArgumentNullException.ThrowIfNull(phonemes);
        var tokens = phonemes.Split('_').Select(t => t.Replace("'", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal)).ToArray();
        var phones = new List<string>();
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token is "" or ";" or "?" or "=")
            {
                continue; // palatalisation mark, glottal stop, syllable mark
            }

            if (token == "I2" && i + 1 < tokens.Length && tokens[i + 1] == ";")
            {
                phones.Add("IY"); // unstressed i before a vowel ("medio", "abbreviate")
                continue;
            }

            if (!Arpabet.TryGetValue(token, out var arpabet))
            {
                return null;
            }

            foreach (var phone in arpabet.Split(' '))
            {
                // espeak writes an r after its r-coloured vowels ("A@_r"); ARPAbet's ER and AA R already hold it.
                if (phone == "R" && phones.Count > 0 && phones[^1] is "R" or "ER")
                {
                    continue;
                }

                phones.Add(phone);
            }
        }

        return phones.Count == 0 ? null : string.Join(' ', phones);
    }
}
