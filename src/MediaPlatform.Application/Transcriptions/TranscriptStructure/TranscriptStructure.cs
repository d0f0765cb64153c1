using FluentValidation;
using MediaPlatform.Application.Common.Messaging;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Transcriptions;
using MediatR;

namespace MediaPlatform.Application.Transcriptions.TranscriptStructure;

/// <summary>A stretch of the transcript: its text, times, mean word confidence and words; <c>speaker</c> once speakers are known.</summary>
public sealed record TranscriptSpanDto(string Text, double Start, double End, double Confidence, string? Speaker, IReadOnlyList<WordDto> Words);

/// <summary>The spans of a transcript, in order.</summary>
public sealed record TranscriptSpansDto(Guid TranscriptionId, IReadOnlyList<TranscriptSpanDto> Items);

/// <summary>One term's occurrences: each with its time and the indexes of its words in the transcript.</summary>
public sealed record WordSearchMatchDto(string Text, int Count, IReadOnlyList<WordSearchHitDto> Matches);

public sealed record WordSearchHitDto(double Start, double End, IReadOnlyList<int> WordIndexes);

public sealed record WordSearchDto(Guid TranscriptionId, int TotalCount, IReadOnlyList<WordSearchMatchDto> Items);

/// <summary>A transcript's sentences: its utterances (speech between the engine's pauses), split again at pauses of <see cref="TranscriptStructures.SentencePauseSeconds"/>.</summary>
public sealed record GetSentencesQuery(Guid TranscriptionId) : IQuery<Result<TranscriptSpansDto>>;

/// <summary>A transcript's paragraphs: sentences grouped until a long pause or <see cref="TranscriptExporter.ParagraphMaxWords"/> words.</summary>
public sealed record GetParagraphsQuery(Guid TranscriptionId) : IQuery<Result<TranscriptSpansDto>>;

/// <summary>Where each term (a word, or a phrase of up to five words) is said, case-insensitively.</summary>
public sealed record WordSearchQuery(Guid TranscriptionId, IReadOnlyList<string> Terms) : IQuery<Result<WordSearchDto>>;

internal sealed class WordSearchValidator : AbstractValidator<WordSearchQuery>
{
    public WordSearchValidator()
    {
        RuleFor(q => q.Terms).NotEmpty().WithMessage("terms is required: one or more words or phrases, comma-separated.")
            .Must(t => t.Count <= TranscriptStructures.MaxTerms).WithMessage($"terms holds at most {TranscriptStructures.MaxTerms} terms.");
        RuleForEach(q => q.Terms)
            .Must(t => !string.IsNullOrWhiteSpace(t) && t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= TranscriptStructures.MaxPhraseWords && t.Length <= 200)
            .WithMessage($"Each term is a word or a phrase of at most {TranscriptStructures.MaxPhraseWords} words (200 characters).");
    }
}

/// <summary>Sentences, paragraphs and word search, built from word timings and pauses (the engine writes no punctuation).</summary>
public static class TranscriptStructures
{
    public const double SentencePauseSeconds = 0.5;
    public const int MaxTerms = 20;
    public const int MaxPhraseWords = 5;

    public static IReadOnlyList<TranscriptSpanDto> Sentences(IReadOnlyList<Segment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var sentences = new List<TranscriptSpanDto>();
        foreach (var segment in segments.Where(s => !string.IsNullOrWhiteSpace(s.Text)))
        {
            if (segment.Words.Count == 0)
            {
                sentences.Add(new TranscriptSpanDto(segment.Text.Trim(), segment.Start, segment.End, segment.Confidence, segment.Speaker, []));
                continue;
            }

            var current = new List<Word> { segment.Words[0] };
            foreach (var word in segment.Words.Skip(1))
            {
                if (word.Start - current[^1].End >= SentencePauseSeconds || SpeakerOf(word, segment) != SpeakerOf(current[^1], segment))
                {
                    sentences.Add(Span(current, segment.Speaker));
                    current = [];
                }

                current.Add(word);
            }

            sentences.Add(Span(current, segment.Speaker));
        }

        return sentences;
    }

    public static IReadOnlyList<TranscriptSpanDto> Paragraphs(IReadOnlyList<Segment> segments) =>
        [.. TranscriptExporter.Paragraphs(segments).Select(paragraph =>
        {
            var words = paragraph.SelectMany(s => s.Words).ToList();
            return words.Count > 0
                ? Span(words, paragraph[0].Speaker)
                : new TranscriptSpanDto(string.Join(' ', paragraph.Select(s => s.Text.Trim())), paragraph[0].Start, paragraph[^1].End, paragraph.Average(s => s.Confidence), paragraph[0].Speaker, []);
        })];

    public static WordSearchDto Search(Guid transcriptionId, IReadOnlyList<Segment> segments, IReadOnlyList<string> terms)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(terms);
        var words = segments.SelectMany(s => s.Words).ToList();
        var items = new List<WordSearchMatchDto>();
        foreach (var term in terms.Select(t => t.Trim()).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var phrase = term.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var hits = new List<WordSearchHitDto>();
            for (var i = 0; i + phrase.Length <= words.Count; i++)
            {
                if (phrase.Select((p, k) => string.Equals(p, words[i + k].Text, StringComparison.OrdinalIgnoreCase)).All(match => match))
                {
                    hits.Add(new WordSearchHitDto(words[i].Start, words[i + phrase.Length - 1].End, [.. Enumerable.Range(i, phrase.Length)]));
                }
            }

            items.Add(new WordSearchMatchDto(term, hits.Count, hits));
        }

        return new WordSearchDto(transcriptionId, items.Sum(i => i.Count), items);
    }

    private static string? SpeakerOf(Word word, Segment segment) => word.Speaker ?? segment.Speaker;

    private static TranscriptSpanDto Span(List<Word> words, string? segmentSpeaker) =>
        new(
            string.Join(' ', words.Select(w => w.Text)),
            words[0].Start,
            words[^1].End,
            Math.Round(words.Average(w => w.Confidence), 4),
            words[0].Speaker ?? segmentSpeaker,
            [.. words.Select(w => new WordDto(w.Text, w.Start, w.End, w.Confidence, w.Speaker ?? segmentSpeaker))]);
}

internal sealed class TranscriptStructureHandlers(ITranscriptionRepository transcriptions)
    : IRequestHandler<GetSentencesQuery, Result<TranscriptSpansDto>>,
      IRequestHandler<GetParagraphsQuery, Result<TranscriptSpansDto>>,
      IRequestHandler<WordSearchQuery, Result<WordSearchDto>>
{
    public async Task<Result<TranscriptSpansDto>> Handle(GetSentencesQuery request, CancellationToken cancellationToken) =>
        await SegmentsAsync(request.TranscriptionId, cancellationToken) is { } segments
            ? new TranscriptSpansDto(request.TranscriptionId, TranscriptStructures.Sentences(segments))
            : TranscriptionErrors.NotFound(new TranscriptionId(request.TranscriptionId));

    public async Task<Result<TranscriptSpansDto>> Handle(GetParagraphsQuery request, CancellationToken cancellationToken) =>
        await SegmentsAsync(request.TranscriptionId, cancellationToken) is { } segments
            ? new TranscriptSpansDto(request.TranscriptionId, TranscriptStructures.Paragraphs(segments))
            : TranscriptionErrors.NotFound(new TranscriptionId(request.TranscriptionId));

    public async Task<Result<WordSearchDto>> Handle(WordSearchQuery request, CancellationToken cancellationToken) =>
        await SegmentsAsync(request.TranscriptionId, cancellationToken) is { } segments
            ? TranscriptStructures.Search(request.TranscriptionId, segments, request.Terms)
            : TranscriptionErrors.NotFound(new TranscriptionId(request.TranscriptionId));

    private async Task<IReadOnlyList<Segment>?> SegmentsAsync(Guid id, CancellationToken cancellationToken) =>
        (await transcriptions.GetAsync(new TranscriptionId(id), cancellationToken))?.Segments;
}
