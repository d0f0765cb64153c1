using System.Text.Json;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Transcriptions;
using MediaPlatform.Infrastructure.Analyses;

namespace MediaPlatform.Infrastructure.Tests.Analyses;

/// <summary>The analyzers on transcripts built for the purpose (inputs, not engine output).</summary>
public sealed class AnalyzerTests
{
    [Fact]
    public void Keywords_rank_repeated_multi_word_phrases_first()
    {
        var payload = Run(new KeywordsAnalyzer(), "speech recognition systems are hard", "and speech recognition systems are everywhere", "the weather is nice");

        var keywords = payload.GetProperty("keywords").EnumerateArray().ToList();
        Assert.Equal("speech recognition systems", keywords[0].GetProperty("phrase").GetString());
        Assert.Equal(2, keywords[0].GetProperty("count").GetInt32());
        Assert.DoesNotContain(keywords, k => k.GetProperty("phrase").GetString() is "the" or "are" or "we");
    }

    [Theory]
    [InlineData("this is a wonderful and happy day", "positive")]
    [InlineData("this is terrible and i hate it", "negative")]
    [InlineData("this is not good at all", "negative")]
    [InlineData("the table has four legs", "neutral")]
    public void Sentiment_labels_follow_the_words_and_negation(string text, string label) =>
        Assert.Equal(label, Run(new SentimentAnalyzer(), text).GetProperty("label").GetString());

    [Fact]
    public void Speech_statistics_measure_speaking_time_rate_and_pauses()
    {
        // 2 s of speech with 4 words, 1 s pause, 1 s of speech with 2 words, in 6 s of media.
        Segment[] segments =
        [
            new(0.5, 2.5, "a b c d", 1, [W("a", 0.5), W("b", 1), W("c", 1.5), W("d", 2)]),
            new(3.5, 4.5, "e f", 1, [W("e", 3.5), W("f", 4)]),
        ];
        var transcription = Transcription.Create(JobId.New(), MediaAssetId.New(), "en", "test", "test", segments, DateTimeOffset.UnixEpoch).Value;

        var output = new SpeechStatisticsAnalyzer().Analyze(transcription, TimeSpan.FromSeconds(6));
        var payload = JsonDocument.Parse(output.PayloadJson).RootElement;

        Assert.Equal(3, payload.GetProperty("speakingSeconds").GetDouble());
        Assert.Equal(120, payload.GetProperty("wordsPerMinute").GetDouble());
        Assert.Equal(0.5, payload.GetProperty("silenceRatio").GetDouble());
        Assert.Equal(1.5, payload.GetProperty("longestPauseSeconds").GetDouble());
        Assert.Equal(4.5, payload.GetProperty("longestPauseStart").GetDouble());
        Assert.Equal(120m, output.Score);
    }

    [Fact]
    public void The_summary_keeps_the_most_central_segments_in_spoken_order()
    {
        var payload = Run(new SummaryAnalyzer(),
            "the river flooded the village", "people left the village by boat", "a cat slept", "the river rose again near the village", "lunch was late");

        var sentences = payload.GetProperty("sentences").EnumerateArray().Select(s => s.GetProperty("text").GetString()).ToList();
        Assert.Single(sentences);
        Assert.Equal("the river rose again near the village", sentences[0]);
    }

    [Fact]
    public void Analyzers_accept_a_transcript_with_nothing_in_it()
    {
        var empty = Transcription.Create(JobId.New(), MediaAssetId.New(), "en", "test", "test", [], DateTimeOffset.UnixEpoch).Value;

        foreach (var analyzer in new Application.Abstractions.IAnalyzer[] { new KeywordsAnalyzer(), new SummaryAnalyzer(), new SentimentAnalyzer(), new SpeechStatisticsAnalyzer() })
        {
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(analyzer.Analyze(empty, TimeSpan.FromSeconds(1)).PayloadJson).RootElement.ValueKind);
        }
    }

    private static Word W(string text, double start) => new(text, start, start + 0.4, 1);

    private static JsonElement Run(Application.Abstractions.IAnalyzer analyzer, params string[] utterances)
    {
        var segments = utterances.Select((u, i) => new Segment(i * 2, (i * 2) + 1.5, u, 1, [])).ToList();
        var transcription = Transcription.Create(JobId.New(), MediaAssetId.New(), "en", "test", "test", segments, DateTimeOffset.UnixEpoch).Value;
        return JsonDocument.Parse(analyzer.Analyze(transcription, TimeSpan.FromSeconds(segments.Count * 2)).PayloadJson).RootElement;
    }
}
