using CsCheck;
using MediaPlatform.Application.Transcriptions;
using MediaPlatform.Application.Transcriptions.TranscriptStructure;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Tests.Transcriptions;

/// <summary>Sentences, paragraphs and word search from word timings and pauses.</summary>
public sealed class TranscriptStructureTests
{
    /// <summary>Ordered segments of ordered words with pauses of up to 2 s between words.</summary>
    private static readonly Gen<Segment[]> Transcripts =
        Gen.Select(Gen.Int[0, 5], Gen.Double[0.05, 1], Gen.Double[0, 2]).Array[1, 30].Array[1, 8].Select(segments =>
        {
            var time = 0.0;
            return segments.Select(words =>
            {
                var placed = words.Select(w =>
                {
                    var start = time + w.Item3;
                    time = start + w.Item2;
                    return new Word(((char)('a' + w.Item1)).ToString(), Math.Round(start, 3), Math.Round(time, 3), 0.8);
                }).ToList();
                time += 2;
                return new Segment(placed[0].Start, placed[^1].End, string.Join(' ', placed.Select(p => p.Text)), 0.8, placed);
            }).ToArray();
        });

    [Fact]
    public void Sentences_and_paragraphs_hold_every_word_once_in_order_and_sentences_break_only_at_pauses() =>
        Transcripts.Sample(segments =>
        {
            var words = segments.SelectMany(s => s.Words).Select(w => w.Text).ToList();
            var sentences = TranscriptStructures.Sentences(segments);
            var paragraphs = TranscriptStructures.Paragraphs(segments);

            Assert.Equal(words, sentences.SelectMany(s => s.Words).Select(w => w.Text));
            Assert.Equal(words, paragraphs.SelectMany(p => p.Words).Select(w => w.Text));
            Assert.All(sentences, s => Assert.All(s.Words.Zip(s.Words.Skip(1)), pair => Assert.True(pair.Second.Start - pair.First.End < TranscriptStructures.SentencePauseSeconds)));
            Assert.All(sentences.Concat(paragraphs), s => Assert.Equal(s.Text, string.Join(' ', s.Words.Select(w => w.Text))));
            Assert.All(sentences.Zip(sentences.Skip(1)), pair => Assert.True(pair.First.End <= pair.Second.Start));
        }, iter: 500);

    [Fact]
    public void Word_search_finds_every_occurrence_of_a_phrase_whatever_its_case() =>
        Transcripts.Sample(segments =>
        {
            var words = segments.SelectMany(s => s.Words).ToList();
            var found = TranscriptStructures.Search(Guid.Empty, segments, ["A", "b c"]);

            Assert.Equal(words.Count(w => w.Text == "a"), found.Items[0].Count);
            var pairs = Enumerable.Range(0, words.Count - 1).Count(i => words[i].Text == "b" && words[i + 1].Text == "c");
            Assert.Equal(pairs, found.Items[1].Count);
            Assert.All(found.Items[1].Matches, m => Assert.Equal((words[m.WordIndexes[0]].Start, words[m.WordIndexes[1]].End), (m.Start, m.End)));
            Assert.Equal(found.Items.Sum(i => i.Count), found.TotalCount);
        }, iter: 500);
}
