using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Api.Tests.Processing;
using MediaPlatform.TestSupport.Media;

namespace MediaPlatform.Api.Tests.Transcriptions;

/// <summary>audioStartFrom/audioEndAt on a real recording with the real engine: only that range is heard, at the media's times.</summary>
[Collection(ProcessingCollection.Name)]
public sealed class TranscriptRangeTests(ProcessingFactory factory) : IClassFixture<ProcessingFactory>
{
    [Fact]
    public async Task Only_the_range_asked_for_is_transcribed_and_its_times_are_the_medias()
    {
        var jobs = new JobClient(factory.CreateClient());
        var (path, _) = SpeechSamples.Librivox()[0]; // 7.1 s
        var media = await jobs.UploadAsync(path, "audio/wav");

        var whole = await jobs.SubmitAsync(media, new { analyses = Array.Empty<string>() });
        var part = await jobs.SubmitAsync(media, new { analyses = Array.Empty<string>(), audioStartFrom = 3000, audioEndAt = 6000 });
        Assert.Equal("succeeded", (await jobs.WaitUntilFinishedAsync(whole)).GetProperty("status").GetString());
        var job = await jobs.WaitUntilFinishedAsync(part);

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal((3000, 6000), (job.GetProperty("audioStartFrom").GetInt64(), job.GetProperty("audioEndAt").GetInt64()));
        var transcript = await jobs.GetAsync($"/api/v1/jobs/{part}/transcription");
        var words = transcript.GetProperty("segments").EnumerateArray()
            .SelectMany(s => s.GetProperty("words").EnumerateArray()).Select(w => (Text: w.GetProperty("text").GetString()!, Start: w.GetProperty("start").GetDouble(), End: w.GetProperty("end").GetDouble())).ToList();
        var all = (await jobs.GetAsync($"/api/v1/jobs/{whole}/transcription")).GetProperty("segments").EnumerateArray()
            .SelectMany(s => s.GetProperty("words").EnumerateArray()).Select(w => (Text: w.GetProperty("text").GetString()!, Start: w.GetProperty("start").GetDouble())).ToList();
        Assert.True(words.Count > 0, transcript.GetRawText());
        Assert.All(words, w => Assert.InRange(w.Start, 2.95, 6.05));
        Assert.All(words, w => Assert.InRange(w.End, 2.95, 6.1));
        // The same speech, heard again: most of the range's words are the whole recording's words near the same time.
        var near = words.Count(w => all.Any(a => a.Text == w.Text && Math.Abs(a.Start - w.Start) < 0.5));
        Assert.True(near * 2 >= words.Count, $"{near} of {words.Count} words match the whole recording's at their times");
    }
}
