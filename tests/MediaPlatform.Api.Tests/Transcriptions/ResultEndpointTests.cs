using System.Net;
using System.Text.Json;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Transcriptions;
using MediaPlatform.TestSupport.Builders;

namespace MediaPlatform.Api.Tests.Transcriptions;

public sealed class ResultEndpointTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_jobs_transcription_and_analyses_are_served_with_segments_and_payloads()
    {
        var (job, transcription) = await SaveFinishedJobAsync();

        var byJob = await JsonAsync($"/api/v1/jobs/{job}/transcription");
        var byId = await JsonAsync($"/api/v1/transcriptions/{transcription}");
        var analyses = await JsonAsync($"/api/v1/jobs/{job}/analyses");

        Assert.Equal(transcription, byJob.GetProperty("id").GetGuid());
        Assert.Equal("hello world", byId.GetProperty("text").GetString());
        var segment = Assert.Single(byId.GetProperty("segments").EnumerateArray());
        Assert.Equal(0.5, segment.GetProperty("start").GetDouble());
        Assert.Equal(2, segment.GetProperty("words").GetArrayLength());
        var analysis = Assert.Single(analyses.EnumerateArray());
        Assert.Equal("sentiment", analysis.GetProperty("kind").GetString());
        Assert.Equal("positive", analysis.GetProperty("payload").GetProperty("label").GetString());
    }

    [Theory]
    [InlineData("", "text/vtt", "WEBVTT\n\n00:00:00.500 --> 00:00:01.500\nhello world\n\n")]
    [InlineData("?format=srt", "application/x-subrip", "1\n00:00:00,500 --> 00:00:01,500\nhello world\n\n")]
    public async Task A_jobs_transcription_is_served_as_captions(string query, string contentType, string expected)
    {
        var (job, _) = await SaveFinishedJobAsync();

        var response = await _client.GetAsync(new Uri($"/api/v1/jobs/{job}/subtitles{query}", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Captions_in_an_unknown_format_are_400()
    {
        var (job, _) = await SaveFinishedJobAsync();

        var response = await _client.GetAsync(new Uri($"/api/v1/jobs/{job}/subtitles?format=docx", UriKind.Relative));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_job_without_a_transcription_yet_is_404_with_a_code_that_says_so()
    {
        var media = TestData.UploadedMedia();
        var job = TestData.QueuedJob(media);
        await using (var db = factory.CreateDbContext())
        {
            db.MediaAssets.Add(media);
            db.Jobs.Add(job);
            await db.SaveChangesAsync();
        }

        var response = await _client.GetAsync(new Uri($"/api/v1/jobs/{job.Id}/transcription", UriKind.Relative));
        var analyses = await JsonAsync($"/api/v1/jobs/{job.Id}/analyses");

        Assert.Equal("transcription.not_found", (await response.AssertProblemAsync(HttpStatusCode.NotFound)).GetProperty("code").GetString());
        Assert.Equal(0, analyses.GetArrayLength());
    }

    [Theory]
    [InlineData("/api/v1/jobs/{0}/transcription", "job.not_found")]
    [InlineData("/api/v1/jobs/{0}/analyses", "job.not_found")]
    [InlineData("/api/v1/transcriptions/{0}", "transcription.not_found")]
    [InlineData("/api/v1/jobs/{0}/subtitles", "job.not_found")]
    public async Task Unknown_ids_are_404(string template, string code)
    {
        var response = await _client.GetAsync(new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Guid.CreateVersion7()), UriKind.Relative));

        Assert.Equal(code, (await response.AssertProblemAsync(HttpStatusCode.NotFound)).GetProperty("code").GetString());
    }

    private async Task<(Guid Job, Guid Transcription)> SaveFinishedJobAsync()
    {
        var media = TestData.UploadedMedia();
        var job = TestData.QueuedJob(media);
        var transcription = Transcription.Create(job.Id, media.Id, "en", "pocketsphinx", "en-us",
            [new Segment(0.5, 1.5, "hello world", 0.9, [new Word("hello", 0.5, 0.9, 0.9), new Word("world", 1.0, 1.5, 0.9)])], TestData.Epoch).Value;
        var analysis = AnalysisResult.Create(job.Id, transcription.Id, AnalysisKind.Sentiment, """{"label":"positive","polarity":0.4}""", 0.4m, TestData.Epoch).Value;
        await using var db = factory.CreateDbContext();
        db.MediaAssets.Add(media);
        db.Jobs.Add(job);
        db.Transcriptions.Add(transcription);
        db.AnalysisResults.Add(analysis);
        await db.SaveChangesAsync();
        return (job.Id.Value, transcription.Id.Value);
    }

    private async Task<JsonElement> JsonAsync(string url) =>
        await (await _client.GetAsync(new Uri(url, UriKind.Relative))).ReadSuccessAsync();
}
