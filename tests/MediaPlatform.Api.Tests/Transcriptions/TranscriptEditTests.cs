using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MediaPlatform.Api.Tests.Access;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Api.Tests.Processing;
using MediaPlatform.TestSupport.Media;

namespace MediaPlatform.Api.Tests.Transcriptions;

/// <summary>
/// PATCH /api/v1/transcriptions/{id} on real transcripts: the edit reaches search, captions, exports and a later
/// analysis; the engine's revision is kept; If-Match guards against lost updates. Each test has its own tenant, so
/// search sees only the transcript it edited.
/// </summary>
[Collection(ProcessingCollection.Name)]
public sealed class TranscriptEditTests(ProcessingFactory factory) : IClassFixture<ProcessingFactory>
{
    private const string NewWord = "xylophonist";

    [Fact]
    public async Task An_edit_reaches_search_captions_and_exports_and_the_engines_revision_is_kept()
    {
        var (client, jobId, transcript) = await TranscribedAsync("edit");
        var id = transcript.GetProperty("id").GetGuid();
        var (index, old, oldWord) = WordSaidOnce(transcript);
        var newText = string.Join(' ', old.GetProperty("words").EnumerateArray().Select(w => w.GetProperty("text").GetString() == oldWord.GetProperty("text").GetString() ? NewWord : w.GetProperty("text").GetString()));
        var read = await client.GetAsync(new Uri($"/api/v1/transcriptions/{id}", UriKind.Relative));
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);

        var edited = await PatchAsync(client, id, new { segments = new[] { new { index, text = newText } } }, read.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal("\"2\"", edited.Headers.ETag?.Tag);
        var body = await edited.ReadSuccessAsync();
        Assert.Equal(2, body.GetProperty("revision").GetInt32());
        var segment = body.GetProperty("segments")[index];
        Assert.Equal(newText, segment.GetProperty("text").GetString());
        // The corrected word takes the time the engine heard the old one at; the other words keep theirs.
        var word = segment.GetProperty("words").EnumerateArray().Single(w => w.GetProperty("text").GetString() == NewWord);
        Assert.InRange(word.GetProperty("start").GetDouble(), oldWord.GetProperty("start").GetDouble() - 0.001, oldWord.GetProperty("end").GetDouble());
        Assert.Equal(
            old.GetProperty("words").EnumerateArray().Where(w => w.GetProperty("text").GetString() != oldWord.GetProperty("text").GetString()).Select(w => w.GetProperty("start").GetDouble()),
            segment.GetProperty("words").EnumerateArray().Where(w => w.GetProperty("text").GetString() != NewWord).Select(w => w.GetProperty("start").GetDouble()));

        // Search finds the new word and no longer the old one.
        var hits = (await client.JsonAsync($"/api/v1/search?q={NewWord}")).GetProperty("items");
        Assert.Equal(jobId, Assert.Single(hits.EnumerateArray()).GetProperty("jobId").GetGuid());
        Assert.Empty((await client.JsonAsync($"/api/v1/search?q=\"{oldWord.GetProperty("text").GetString()}\"")).GetProperty("items").EnumerateArray());

        // Captions and every export carry it.
        var vtt = await client.GetStringAsync(new Uri($"/api/v1/jobs/{jobId}/subtitles?format=vtt", UriKind.Relative));
        Assert.Contains(NewWord, vtt, StringComparison.Ordinal);
        Assert.DoesNotContain($" {oldWord.GetProperty("text").GetString()} ", $" {vtt.Replace('\n', ' ')} ", StringComparison.Ordinal);
        foreach (var format in new[] { "txt", "tsv", "json", "srt", "vtt" })
        {
            Assert.Contains(NewWord, await client.GetStringAsync(new Uri($"/api/v1/jobs/{jobId}/export?format={format}", UriKind.Relative)), StringComparison.Ordinal);
        }

        // The engine's output stays readable as revision 1.
        var original = await client.GetAsync(new Uri($"/api/v1/transcriptions/{id}?revision=1", UriKind.Relative));
        Assert.Equal("\"1\"", original.Headers.ETag?.Tag);
        var originalBody = await original.ReadSuccessAsync();
        Assert.Equal(transcript.GetProperty("text").GetString(), originalBody.GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, originalBody.GetProperty("editedAt").ValueKind);
        await (await client.GetAsync(new Uri($"/api/v1/transcriptions/{id}?revision=3", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(NewWord, (await client.JsonAsync($"/api/v1/jobs/{jobId}/transcription")).GetProperty("segments")[index].GetProperty("words")
            .EnumerateArray().Select(w => w.GetProperty("text").GetString()).Single(t => t == NewWord));
    }

    [Fact]
    public async Task An_edit_on_a_stale_revision_is_a_412_and_one_without_if_match_a_428()
    {
        var (client, _, transcript) = await TranscribedAsync("stale");
        var id = transcript.GetProperty("id").GetGuid();
        var edit = new { segments = new[] { new { index = 0, text = "first edit" } } };
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(client, id, edit, "\"1\"")).StatusCode);

        var stale = await (await PatchAsync(client, id, new { segments = new[] { new { index = 0, text = "second edit" } } }, "\"1\"")).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        var missing = await (await PatchAsync(client, id, edit, ifMatch: null)).AssertProblemAsync((HttpStatusCode)428);

        Assert.Equal("transcription.revision_stale", stale.GetProperty("code").GetString());
        Assert.Contains("\"2\"", stale.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("transcription.if_match_required", missing.GetProperty("code").GetString());
        var now = await client.JsonAsync($"/api/v1/transcriptions/{id}");
        Assert.Equal("first edit", now.GetProperty("segments")[0].GetProperty("text").GetString());
        Assert.Equal(2, now.GetProperty("revision").GetInt32());

        // A list naming the current revision, and *, both match; If-None-Match with the current tag is a 304.
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(client, id, new { segments = new[] { new { index = 0, text = "third edit" } } }, "\"1\", \"2\"")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(client, id, new { segments = new[] { new { index = 0, text = "fourth edit" } } }, "*")).StatusCode);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/transcriptions/{id}");
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"4\""));
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);
        Assert.Equal("first edit", (await client.JsonAsync($"/api/v1/transcriptions/{id}?revision=2")).GetProperty("segments")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_later_analysis_job_reads_the_edited_text()
    {
        var (client, jobId, transcript) = await TranscribedAsync("analysis");
        var id = transcript.GetProperty("id").GetGuid();
        var media = (await client.JsonAsync($"/api/v1/jobs/{jobId}")).GetProperty("mediaId").GetGuid();
        var repeated = string.Join(' ', Enumerable.Repeat("zanzibar", 12));
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(client, id, new { segments = new[] { new { index = 0, text = repeated } } }, "\"1\"")).StatusCode);

        var jobs = new JobClient(client);
        var analysis = await jobs.SubmitAsync(media, new { kind = "analysis", analyses = new[] { "keywords" } });
        Assert.Equal("succeeded", (await jobs.WaitUntilFinishedAsync(analysis)).GetProperty("status").GetString());

        var keywords = (await client.JsonAsync($"/api/v1/jobs/{analysis}/analyses"))[0].GetProperty("payload").GetProperty("keywords");
        Assert.Contains(keywords.EnumerateArray(), k => k.GetProperty("phrase").GetString()!.Contains("zanzibar", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{}""", "body")]
    [InlineData("""{"segments":[{"index":9999,"text":"x"}]}""", "segments[0].index")]
    [InlineData("""{"segments":[{"index":0,"text":"a"},{"index":0,"text":"b"}]}""", "segments[1].index")]
    [InlineData("""{"segments":[{"index":-1,"text":"x"}]}""", "segments[0].Index")]
    [InlineData("""{"segments":[{"index":0,"text":"line\nbreak"}]}""", "segments[0].Text")]
    [InlineData("""{"speakers":{"S1":"Alice"}}""", "speakers.S1")]
    [InlineData("""{"speakers":{"not a label":"Alice"}}""", "speakers")]
    public async Task A_bad_edit_is_a_400_that_names_the_field_and_changes_nothing(string body, string field)
    {
        var (client, _, transcript) = await TranscribedAsync($"bad-{field.GetHashCode(StringComparison.Ordinal):x}");
        var id = transcript.GetProperty("id").GetGuid();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/transcriptions/{id}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");

        var problem = await (await client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(field, problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, (await client.JsonAsync($"/api/v1/transcriptions/{id}")).GetProperty("revision").GetInt32());
    }

    private static (int Index, JsonElement Segment, JsonElement Word) WordSaidOnce(JsonElement transcript)
    {
        var words = transcript.GetProperty("segments").EnumerateArray().Select((s, i) => (i, s))
            .SelectMany(x => x.s.GetProperty("words").EnumerateArray().Select(w => (x.i, x.s, w))).ToList();
        return words
            .Where(x => x.w.GetProperty("text").GetString() is { Length: >= 4 } t && t.All(char.IsLetter)
                        && words.Count(y => string.Equals(y.w.GetProperty("text").GetString(), t, StringComparison.OrdinalIgnoreCase)) == 1)
            .OrderByDescending(x => x.w.GetProperty("text").GetString()!.Length)
            .Select(x => (x.i, x.s, x.w))
            .First();
    }

    private static async Task<HttpResponseMessage> PatchAsync(HttpClient client, Guid id, object body, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/transcriptions/{id}")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await client.SendAsync(request);
    }

    private async Task<(HttpClient Client, Guid JobId, JsonElement Transcript)> TranscribedAsync(string name)
    {
        var (_, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"{name}-{Guid.NewGuid():N}");
        var (jobId, transcript) = await new JobClient(client).TranscribeAsync(SpeechSamples.Librivox()[0].Path);
        return (client, jobId, transcript);
    }
}
