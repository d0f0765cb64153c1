using System.Net;
using System.Text.Json;
using MediaPlatform.Api.Tests.Access;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Api.Tests.Processing;
using MediaPlatform.TestSupport.Media;

namespace MediaPlatform.Api.Tests.Transcriptions;

/// <summary>Captions with controls and the exports, on a real recording transcribed by a real job.</summary>
[Collection(ProcessingCollection.Name)]
public sealed class TranscriptExportTests(ProcessingFactory factory) : IClassFixture<ProcessingFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Captions_keep_to_the_characters_lines_and_seconds_asked_for_and_lose_no_word()
    {
        var (jobId, transcript) = await TranscribedAsync();

        var response = await _client.GetAsync(new Uri($"/api/v1/jobs/{jobId}/subtitles?format=vtt&charsPerCaption=24&maxLinesPerCue=2&maxCueSeconds=3", UriKind.Relative));
        var vtt = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cues = vtt.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(c => c.Split('\n')).ToList();
        Assert.All(cues, cue =>
        {
            var lines = cue.Skip(1).ToList();
            Assert.InRange(lines.Count, 1, 2);
            Assert.True(lines.Count(l => l.Contains(' ', StringComparison.Ordinal)) == 0 || lines.Sum(l => l.Length) <= 24, string.Join('|', lines));
        });
        var words = transcript.GetProperty("segments").EnumerateArray().SelectMany(s => s.GetProperty("words").EnumerateArray()).Select(w => w.GetProperty("text").GetString()).ToList();
        Assert.Equal(words, cues.SelectMany(c => c.Skip(1)).SelectMany(l => l.Split(' ')));
    }

    [Theory]
    [InlineData("charsPerCaption=5", "charsPerCaption")]
    [InlineData("maxLinesPerCue=4", "maxLinesPerCue")]
    [InlineData("maxCueSeconds=0.5", "maxCueSeconds")]
    public async Task Caption_controls_out_of_range_are_a_400_naming_the_parameter(string query, string field)
    {
        var (jobId, _) = await TranscribedAsync();

        var problem = await (await _client.GetAsync(new Uri($"/api/v1/jobs/{jobId}/subtitles?{query}", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Theory]
    [InlineData("txt", "text/plain")]
    [InlineData("tsv", "text/tab-separated-values")]
    [InlineData("json", "application/json")]
    [InlineData("srt", "application/x-subrip")]
    [InlineData("vtt", "text/vtt")]
    public async Task Every_export_downloads_as_a_named_file_with_the_transcripts_words(string format, string contentType)
    {
        var (jobId, transcript) = await TranscribedAsync();

        var response = await _client.GetAsync(new Uri($"/api/v1/jobs/{jobId}/export?format={format}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"transcript-{jobId}.{format}", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var firstWord = transcript.GetProperty("segments")[0].GetProperty("words")[0].GetProperty("text").GetString()!;
        Assert.Contains(firstWord, body, StringComparison.Ordinal);
        switch (format)
        {
            case "tsv":
                var rows = body.TrimEnd('\n').Split('\n');
                Assert.Equal("start\tend\ttext", rows[0]);
                Assert.Equal(transcript.GetProperty("segments").GetArrayLength(), rows.Length - 1);
                Assert.All(rows.Skip(1), r => Assert.True(long.TryParse(r.Split('\t')[0], out _), r));
                break;
            case "json":
                Assert.Equal(transcript.GetProperty("text").GetString(), JsonDocument.Parse(body).RootElement.GetProperty("text").GetString());
                break;
            case "txt":
                Assert.Equal(
                    transcript.GetProperty("text").GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries),
                    body.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
                break;
        }
    }

    [Fact]
    public async Task Txt_with_timestamps_starts_each_paragraph_with_its_time()
    {
        var (jobId, _) = await TranscribedAsync();

        var body = await _client.GetStringAsync(new Uri($"/api/v1/jobs/{jobId}/export?format=txt&timestamps=true", UriKind.Relative));

        Assert.All(body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries), p => Assert.Matches(@"^\[\d\d:\d\d:\d\d\] \S", p));
    }

    [Fact]
    public async Task Sentences_and_paragraphs_hold_the_transcripts_words_and_word_search_finds_one_at_its_time()
    {
        var (_, transcript) = await TranscribedAsync();
        var id = transcript.GetProperty("id").GetGuid();
        var words = transcript.GetProperty("segments").EnumerateArray().SelectMany(s => s.GetProperty("words").EnumerateArray()).ToList();
        var texts = words.Select(w => w.GetProperty("text").GetString()).ToList();

        var sentences = await _client.JsonAsync($"/api/v1/transcriptions/{id}/sentences");
        var paragraphs = await _client.JsonAsync($"/api/v1/transcriptions/{id}/paragraphs");
        var probe = texts.First(t => t!.Length > 3)!;
        var found = await _client.JsonAsync($"/api/v1/transcriptions/{id}/word-search?terms={probe.ToUpperInvariant()},{texts[0]} {texts[1]}");

        foreach (var spans in new[] { sentences, paragraphs })
        {
            Assert.Equal(texts, spans.GetProperty("items").EnumerateArray().SelectMany(s => s.GetProperty("words").EnumerateArray()).Select(w => w.GetProperty("text").GetString()));
        }

        var first = found.GetProperty("items")[0];
        Assert.Equal(texts.Count(t => t == probe), first.GetProperty("count").GetInt32());
        var at = words[texts.IndexOf(probe)].GetProperty("start").GetDouble();
        Assert.Equal(at, first.GetProperty("matches")[0].GetProperty("start").GetDouble());
        Assert.True(found.GetProperty("items")[1].GetProperty("count").GetInt32() >= 1);
    }

    [Fact]
    public async Task Word_search_without_terms_or_with_a_long_phrase_is_a_400()
    {
        var (_, transcript) = await TranscribedAsync();
        var id = transcript.GetProperty("id").GetGuid();

        await (await _client.GetAsync(new Uri($"/api/v1/transcriptions/{id}/word-search", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _client.GetAsync(new Uri($"/api/v1/transcriptions/{id}/word-search?terms=a b c d e f", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private static (Guid Job, JsonElement Transcript)? _transcribed;

    /// <summary>One real job for the class: a librivox recording, transcribed once.</summary>
    private async Task<(Guid Job, JsonElement Transcript)> TranscribedAsync()
    {
        if (_transcribed is { } done)
        {
            return done;
        }

        _transcribed = await new JobClient(_client).TranscribeAsync(SpeechSamples.Librivox()[3].Path);
        return _transcribed.Value;
    }
}
