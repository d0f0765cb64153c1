using System.Text.RegularExpressions;

namespace MediaPlatform.Infrastructure.Analyses;

/// <summary>Tokens and stop words shared by the analyzers (transcripts are lower-case words without punctuation).</summary>
internal static partial class TextTools
{
    public static readonly HashSet<string> StopWords = new(
        """
        a about above after again against all am an and any are as at be because been before being below between both
        but by can could did do does doing down during each few for from further had has have having he her here hers
        herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
        once only or other our ours ourselves out over own same she should so some such than that the their theirs them
        themselves then there these they this those through to too under until up very was we were what when where which
        while who whom why will with would you your yours yourself yourselves also may might must shall upon much many
        mister mr mrs miss one two three well oh yes yeah um uh like get got go going gone make made say said let us
        even still yet ever every thing things way
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.Ordinal);

    public static IReadOnlyList<string> Tokens(string text) =>
        [.. WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value)];

    [GeneratedRegex(@"[a-z][a-z']*")]
    private static partial Regex WordPattern();
}
