using MediaPlatform.Api.Tests.Access;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Domain.Transcriptions;
using MediaPlatform.TestSupport.Builders;

namespace MediaPlatform.Api.Tests.Transcriptions;

/// <summary>
/// Search stems each transcript in its own language and finds words without their accents, whatever the case
/// (transcripts written directly: the speech engine here knows only English).
/// </summary>
public sealed class MultilingualSearchTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_transcript_is_stemmed_in_its_own_language()
    {
        var german = await SaveAsync("de", "die häuser am fluss wurden im winter gebaut");
        var french = await SaveAsync("fr-FR", "nous mangions des croissants au marché");
        await SaveAsync("en", "the houses were built in winter");

        var haus = await HitsAsync("Haus");
        var croissant = await HitsAsync("croissant marchés");

        Assert.Equal([german], haus.Select(h => h.Id));
        Assert.Contains("<mark>häuser</mark>", haus[0].Snippet, StringComparison.Ordinal);
        Assert.Equal([french], croissant.Select(h => h.Id));
        Assert.Equal([german], (await HitsAsync("winter", "language=de")).Select(h => h.Id));
    }

    [Fact]
    public async Task Words_are_found_without_their_accents_and_in_any_case()
    {
        var resume = await SaveAsync("en", "she sent her résumé to the café owner");
        var polish = await SaveAsync("pl", "zażółć gęślą jaźń");

        Assert.Equal([resume], (await HitsAsync("RESUME")).Select(h => h.Id));
        Assert.Equal([resume], (await HitsAsync("\"cafe owner\"")).Select(h => h.Id));
        Assert.Equal([resume], (await HitsAsync("Résumé")).Select(h => h.Id));
        Assert.Equal([polish], (await HitsAsync("zazolc")).Select(h => h.Id));
    }

    private async Task<List<(Guid Id, string Snippet)>> HitsAsync(string q, string filter = "") =>
        [.. (await _client.JsonAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}&{filter}")).GetProperty("items").EnumerateArray()
            .Select(h => (h.GetProperty("transcriptionId").GetGuid(), h.GetProperty("snippet").GetString()!))];

    private async Task<Guid> SaveAsync(string language, string text)
    {
        var media = TestData.UploadedMedia();
        var job = TestData.QueuedJob(media);
        var words = text.Split(' ').Select((w, i) => new Word(w, i, i + 0.8, 0.9)).ToList();
        var transcription = Transcription.Create(job.Id, media.Id, language, "openai", "fixed", [new Segment(0, words.Count, text, 0.9, words)], TestData.Epoch).Value;
        await using var db = factory.CreateDbContext();
        db.MediaAssets.Add(media);
        db.Jobs.Add(job);
        db.Transcriptions.Add(transcription);
        await db.SaveChangesAsync();
        return transcription.Id.Value;
    }
}
