using System.Globalization;
using System.Text.RegularExpressions;
using MediaPlatform.Application.Transcriptions.Redaction;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Transcriptions;
using PhoneNumbers;

namespace MediaPlatform.Infrastructure.Redaction;

/// <summary>
/// Rule-based PII redaction over the words of each segment, for what an engine writes: words, not digits. An entity
/// never spans two segments. In order, each taking words no earlier rule took:
/// <list type="bullet">
/// <item>email: a written address, or a spoken one: <c>john dot doe at example dot com</c> (a name, optionally joined
/// by dot/underscore/dash, "at", a domain whose last part is a known top-level domain);</item>
/// <item>person_name: each name of the job's list, as whole words, case-insensitively;</item>
/// <item>runs of digits, written (<c>4111</c>, <c>201-555-0123</c>) or spoken one by one (<c>four one one one</c>,
/// <c>oh</c> inside a run), "dash" between them allowed: 13-19 digits passing Luhn are a credit_card_number, 9 digits
/// with a valid area, group and serial a us_social_security_number, a number libphonenumber finds valid (US unless it
/// starts with +) a phone_number, and 4 or more digits otherwise a number_sequence.</item>
/// </list>
/// A replaced run becomes one word spanning the time of the words it replaces: <c>[EMAIL]</c>, or one '#' per character.
/// </summary>
internal sealed partial class PiiRedactor : IPiiRedactor
{
    private static readonly Dictionary<string, char> DigitWords = new(StringComparer.Ordinal)
    {
        ["zero"] = '0', ["one"] = '1', ["two"] = '2', ["three"] = '3', ["four"] = '4',
        ["five"] = '5', ["six"] = '6', ["seven"] = '7', ["eight"] = '8', ["nine"] = '9',
    };

    private static readonly HashSet<string> Joiners = new(StringComparer.Ordinal) { "dot", "underscore", "dash", "hyphen" };

    private static readonly HashSet<string> TopLevelDomains = new(StringComparer.Ordinal)
    {
        "com", "org", "net", "edu", "gov", "mil", "int", "io", "co", "ai", "app", "dev", "info", "biz", "me", "us", "uk",
        "ca", "au", "de", "fr", "es", "it", "nl", "eu", "ch", "se", "no", "dk", "fi", "pl", "in", "jp", "cn", "br", "ru",
    };

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    public RedactedTranscript Redact(IReadOnlyList<Segment> segments, PiiRedaction redaction)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(redaction);
        var spans = new List<RedactedSpan>();
        var redacted = segments.Select(segment => RedactSegment(segment, redaction, spans)).ToList();
        return new RedactedTranscript(redacted, spans);
    }

    private static Segment RedactSegment(Segment segment, PiiRedaction redaction, List<RedactedSpan> spans)
    {
        var words = segment.Words.Count > 0 || string.IsNullOrWhiteSpace(segment.Text) ? segment.Words : Spread(segment);
        if (words.Count == 0)
        {
            return segment;
        }

        var tokens = words.Select(w => Normal(w.Text)).ToArray();
        var found = new List<(int From, int To, PiiPolicy Policy)>();
        var taken = new bool[tokens.Length];
        void Take(int from, int to, PiiPolicy policy)
        {
            found.Add((from, to, policy));
            for (var i = from; i <= to; i++)
            {
                taken[i] = true;
            }
        }

        bool Free(int from, int to) => Enumerable.Range(from, to - from + 1).All(i => !taken[i]);

        var policies = redaction.Policies;
        if (policies.Contains(PiiPolicy.Email))
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                if (WrittenEmail().IsMatch(tokens[i]))
                {
                    Take(i, i, PiiPolicy.Email);
                }
                else if (tokens[i] == "at" && SpokenEmail(tokens, i) is { } email && Free(email.From, email.To))
                {
                    Take(email.From, email.To, PiiPolicy.Email);
                }
            }
        }

        if (policies.Contains(PiiPolicy.PersonName))
        {
            foreach (var name in redaction.Names.Select(n => n.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Normal).ToArray()))
            {
                for (var i = 0; i + name.Length <= tokens.Length; i++)
                {
                    if (name.Select((part, k) => part == tokens[i + k]).All(same => same) && Free(i, i + name.Length - 1))
                    {
                        Take(i, i + name.Length - 1, PiiPolicy.PersonName);
                    }
                }
            }
        }

        for (var i = 0; i < tokens.Length; i++)
        {
            if (taken[i] || Digits(tokens[i], false) is null)
            {
                continue;
            }

            var (to, digits) = DigitRun(tokens, taken, i);
            if (Classify(digits, words[i].Text.TrimStart().StartsWith('+'), policies) is { } policy)
            {
                Take(i, to, policy);
            }

            i = to;
        }

        if (found.Count == 0)
        {
            return segment with { Words = words };
        }

        var result = new List<Word>();
        var next = 0;
        foreach (var (from, to, policy) in found.OrderBy(f => f.From))
        {
            result.AddRange(words.Skip(next).Take(from - next));
            var original = string.Join(' ', words.Skip(from).Take(to - from + 1).Select(w => w.Text));
            var text = redaction.Substitution == PiiSubstitution.Hash ? new string('#', original.Length) : $"[{NameOf(policy).ToUpperInvariant()}]";
            var first = words[from];
            result.Add(new Word(text, first.Start, words[to].End, words.Skip(from).Take(to - from + 1).Min(w => w.Confidence), first.Speaker));
            spans.Add(new RedactedSpan(first.Start, words[to].End, NameOf(policy)));
            next = to + 1;
        }

        result.AddRange(words.Skip(next));
        return segment with { Words = result, Text = string.Join(' ', result.Select(w => w.Text)) };
    }

    /// <summary>The API's name of a policy: <c>phone_number</c>.</summary>
    public static string NameOf(PiiPolicy policy) => policy switch
    {
        PiiPolicy.Email => "email",
        PiiPolicy.PhoneNumber => "phone_number",
        PiiPolicy.CreditCardNumber => "credit_card_number",
        PiiPolicy.UsSocialSecurityNumber => "us_social_security_number",
        PiiPolicy.PersonName => "person_name",
        _ => "number_sequence",
    };

    private static (int From, int To)? SpokenEmail(string[] tokens, int at)
    {
        // Left: a name, optionally name (dot|underscore|dash) name ...
        if (at == 0 || !IsWord(tokens[at - 1]))
        {
            return null;
        }

        var from = at - 1;
        while (from >= 2 && Joiners.Contains(tokens[from - 1]) && IsWord(tokens[from - 2]))
        {
            from -= 2;
        }

        // Right: domain (dot part)+ ending in a top-level domain.
        var to = at + 1;
        if (to >= tokens.Length || !IsWord(tokens[to]))
        {
            return null;
        }

        var end = -1;
        while (to + 2 < tokens.Length && tokens[to + 1] == "dot" && IsWord(tokens[to + 2]))
        {
            to += 2;
            if (TopLevelDomains.Contains(tokens[to]))
            {
                end = to;
            }
        }

        return end < 0 ? null : (from, end);
    }

    private static (int To, string Digits) DigitRun(string[] tokens, bool[] taken, int from)
    {
        var digits = new System.Text.StringBuilder(Digits(tokens[from], false));
        var to = from;
        for (var i = from + 1; i < tokens.Length && !taken[i]; i++)
        {
            if (Digits(tokens[i], digits.Length > 0) is { } more)
            {
                digits.Append(more);
                to = i;
            }
            else if (!(tokens[i] is "dash" or "hyphen" or "-" && i + 1 < tokens.Length && !taken[i + 1] && Digits(tokens[i + 1], true) is not null))
            {
                break;
            }
        }

        return (to, digits.ToString());
    }

    /// <summary>The digits a word stands for: a digit word, "oh" inside a run, or digits written with dashes, dots or brackets.</summary>
    private static string? Digits(string token, bool inRun)
    {
        if (DigitWords.TryGetValue(token, out var digit))
        {
            return digit.ToString();
        }

        if (inRun && token is "oh" or "o")
        {
            return "0";
        }

        var stripped = token.TrimStart('+').Replace("-", string.Empty, StringComparison.Ordinal).Replace(".", string.Empty, StringComparison.Ordinal)
            .Replace("(", string.Empty, StringComparison.Ordinal).Replace(")", string.Empty, StringComparison.Ordinal);
        return stripped.Length > 0 && stripped.All(char.IsAsciiDigit) ? stripped : null;
    }

    private static PiiPolicy? Classify(string digits, bool international, IReadOnlyList<PiiPolicy> policies)
    {
        if (policies.Contains(PiiPolicy.CreditCardNumber) && digits.Length is >= 13 and <= 19 && Luhn(digits))
        {
            return PiiPolicy.CreditCardNumber;
        }

        if (policies.Contains(PiiPolicy.UsSocialSecurityNumber) && digits.Length == 9 && Ssn(digits))
        {
            return PiiPolicy.UsSocialSecurityNumber;
        }

        if (policies.Contains(PiiPolicy.PhoneNumber) && digits.Length is >= 7 and <= 15 && Phone(digits, international))
        {
            return PiiPolicy.PhoneNumber;
        }

        return policies.Contains(PiiPolicy.NumberSequence) && digits.Length >= 4 ? PiiPolicy.NumberSequence : null;
    }

    public static bool Luhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    private static bool Ssn(string digits)
    {
        var area = int.Parse(digits.AsSpan(0, 3), CultureInfo.InvariantCulture);
        return area is not 0 and not 666 and < 900 && digits.Substring(3, 2) != "00" && digits.Substring(5, 4) != "0000";
    }

    private static bool Phone(string digits, bool international)
    {
        try
        {
            return Phones.IsValidNumber(Phones.Parse(international ? "+" + digits : digits, "US"));
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    private static bool IsWord(string token) => token.Length > 0 && token.All(char.IsLetterOrDigit) && token != "at";

    private static string Normal(string word) => word.Trim().Trim(',', '?', '!', ';', ':', '"', '\'').TrimEnd('.').ToLowerInvariant();

    /// <summary>A segment the engine gave no word timings: its words, sharing its time evenly.</summary>
    private static IReadOnlyList<Word> Spread(Segment segment)
    {
        var texts = segment.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var step = (segment.End - segment.Start) / texts.Length;
        return [.. texts.Select((t, i) => new Word(t, Math.Round(segment.Start + (i * step), 3), Math.Round(segment.Start + ((i + 1) * step), 3), segment.Confidence, segment.Speaker))];
    }

    [GeneratedRegex(@"^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")]
    private static partial Regex WrittenEmail();
}
