using System.Net;
using System.Text.Json;
using MediaPlatform.Api.Tests.Access;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Api.Tests.Processing;
using MediaPlatform.TestSupport.Media;

namespace MediaPlatform.Api.Tests.Transcriptions;

/// <summary>Full-text search over real transcripts of two librivox recordings, as the engine heard them.</summary>
[Collection(ProcessingCollection.Name)]
public sealed class SearchTests(ProcessingFactory factory) : IClassFixture<ProcessingFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_recognised_word_finds_its_recording_at_the_time_it_is_said_with_a_highlighted_snippet()
    {
        var (first, second) = await TranscribedAsync();
        var word = OnlyIn(first, second)[0];

        var page = await _client.JsonAsync($"/api/v1/search?q={word.Text}");

        var hit = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(first.Job, hit.GetProperty("jobId").GetGuid());
        Assert.Equal(first.Id, hit.GetProperty("transcriptionId").GetGuid());
        Assert.InRange(word.Start, hit.GetProperty("start").GetDouble(), hit.GetProperty("end").GetDouble());
        Assert.Contains($"<mark>{word.Text}</mark>", hit.GetProperty("snippet").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.True(hit.GetProperty("rank").GetDouble() > 0);
    }

    [Fact]
    public async Task A_quoted_phrase_an_exclusion_and_or_behave_as_in_web_search()
    {
        var (first, second) = await TranscribedAsync();
        var mine = OnlyIn(first, second);
        var theirs = OnlyIn(second, first);
        var (a, b) = (first.Words[^2].Text, first.Words[^1].Text);

        var phrase = await IdsAsync($"\"{a} {b}\"");
        var excluded = await IdsAsync($"{mine[0].Text} -{mine[1].Text}");
        var either = await IdsAsync($"{mine[0].Text} or {theirs[0].Text}");

        Assert.Contains(first.Id, phrase);
        Assert.Empty(excluded);
        Assert.Equal([first.Id, second.Id], either.Order());
    }

    [Fact]
    public async Task Pages_follow_the_cursor_without_repeats_and_another_tenant_finds_nothing()
    {
        var (first, second) = await TranscribedAsync();
        var q = $"{OnlyIn(first, second)[0].Text} or {OnlyIn(second, first)[0].Text}";

        var one = await _client.JsonAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}&limit=1");
        var two = await _client.JsonAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}&limit=1&cursor={one.GetProperty("nextCursor").GetString()}");
        var (_, other) = await TenantApi.CreateTenantWithClientAsync(factory, $"search-{Guid.NewGuid():N}");
        var theirs = await other.JsonAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}");

        var ids = one.GetProperty("items").EnumerateArray().Concat(two.GetProperty("items").EnumerateArray()).Select(h => h.GetProperty("transcriptionId").GetGuid()).ToList();
        Assert.Equal([first.Id, second.Id], ids.Order());
        Assert.Equal(JsonValueKind.Null, two.GetProperty("nextCursor").ValueKind);
        Assert.Empty(theirs.GetProperty("items").EnumerateArray());
        var empty = await (await _client.GetAsync(new Uri("/api/v1/search?q=", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("q is required", empty.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("needs a word", empty.GetProperty("detail").GetString(), StringComparison.Ordinal); // one message, not two
        // Exclusions alone would match every transcript: refused, saying what is missing.
        var onlyExcluded = await (await _client.GetAsync(new Uri("/api/v1/search?q=-zzzqqq%20-%22no%20such%22", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("-exclusions only narrow", onlyExcluded.GetRawText(), StringComparison.Ordinal);
        await (await _client.GetAsync(new Uri("/api/v1/search?q=boy&cursor=nonsense", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private async Task<List<Guid>> IdsAsync(string q) =>
        [.. (await _client.JsonAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}")).GetProperty("items").EnumerateArray().Select(h => h.GetProperty("transcriptionId").GetGuid())];

    /// <summary>Words of five letters or more heard in <paramref name="a"/> and not in <paramref name="b"/>, in order.</summary>
    private static List<Heard> OnlyIn(Transcript a, Transcript b) =>
        [.. a.Words.Where(w => w.Text.Length >= 5 && w.Text.All(char.IsLetter) && !b.Words.Any(o => string.Equals(o.Text, w.Text, StringComparison.OrdinalIgnoreCase))
                               && a.Words.Count(o => o.Text == w.Text) == 1)];

    private static (Transcript, Transcript)? _transcribed;

    private async Task<(Transcript First, Transcript Second)> TranscribedAsync()
    {
        if (_transcribed is { } done)
        {
            return done;
        }

        var jobs = new JobClient(_client);
        var transcripts = new List<Transcript>();
        foreach (var sample in new[] { SpeechSamples.Librivox()[0].Path, SpeechSamples.Librivox()[3].Path })
        {
            var (jobId, transcript) = await jobs.TranscribeAsync(sample);
            transcripts.Add(new Transcript(
                jobId,
                transcript.GetProperty("id").GetGuid(),
                [.. transcript.GetProperty("segments").EnumerateArray().SelectMany(s => s.GetProperty("words").EnumerateArray())
                    .Select(w => new Heard(w.GetProperty("text").GetString()!, w.GetProperty("start").GetDouble()))]));
        }

        _transcribed = (transcripts[0], transcripts[1]);
        return _transcribed.Value;
    }

    private sealed record Heard(string Text, double Start);

    private sealed record Transcript(Guid Job, Guid Id, IReadOnlyList<Heard> Words);
}
