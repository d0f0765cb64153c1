using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Processing;

/// <summary>Words of the job's vocabulary written as the job spelled them (<c>kubernetes</c> becomes <c>Kubernetes</c>).</summary>
public static class VocabularyCasing
{
    public static IReadOnlyList<Segment> Apply(IReadOnlyList<Segment> segments, IReadOnlyList<string> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (vocabulary.Count == 0)
        {
            return segments;
        }

        var spelled = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var word in vocabulary.SelectMany(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            spelled.TryAdd(word, word);
        }

        return [.. segments.Select(s =>
        {
            var words = s.Words.Select(w => spelled.TryGetValue(w.Text, out var spelling) ? w with { Text = spelling } : w).ToList();
            return s.Words.Count == 0 ? s : s with { Words = words, Text = string.Join(' ', words.Select(w => w.Text)) };
        })];
    }
}
