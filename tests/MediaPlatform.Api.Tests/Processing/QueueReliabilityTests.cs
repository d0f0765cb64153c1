using System.Diagnostics;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.TestSupport.Media;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Api.Tests.Processing;

[Collection(ProcessingCollection.Name)]
public sealed class QueueReliabilityTests(ProgramDecoderFactory factory) : IClassFixture<ProgramDecoderFactory>, IDisposable
{
    private readonly JobClient _jobs = new(factory.CreateClient());
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mp-media-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task Cancelling_a_running_job_stops_its_work_and_child_processes_within_two_seconds()
    {
        var mediaId = await _jobs.UploadAsync(SpeechSamples.LongRecording(_work.FullName, repeats: 6), "audio/wav");
        var jobId = await _jobs.SubmitAsync(mediaId);
        await _jobs.WaitAsync(jobId, j => j.GetProperty("currentStep").GetString() == "transcribe" && j.GetProperty("progress").GetInt32() > 20, TimeSpan.FromSeconds(60));
        Assert.True(DecoderRunning(), "pocketsphinx should be decoding this job's audio");

        var stopwatch = Stopwatch.StartNew();
        var response = await factory.CreateClient().PostAsync(new Uri($"/api/v1/jobs/{jobId}/cancel", UriKind.Relative), null);
        while (DecoderRunning() && stopwatch.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        Assert.True(response.IsSuccessStatusCode);
        Assert.False(DecoderRunning(), "the decoder is still running");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"the work stopped after {stopwatch.Elapsed.TotalSeconds:F2} s");
        await Task.Delay(500);
        var job = await _jobs.GetAsync($"/api/v1/jobs/{jobId}");
        Assert.Equal("cancelled", job.GetProperty("status").GetString());
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Transcriptions.AnyAsync(t => t.JobId == new JobId(jobId)));
    }

    [Fact]
    public async Task Twenty_jobs_on_two_workers_all_complete_each_exactly_once()
    {
        var wav = SpeechSamples.Espeak(_work.FullName, "one two three four five");
        var mediaId = await _jobs.UploadAsync(wav, "audio/wav");
        var ids = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await _jobs.SubmitAsync(mediaId, new { analyses = new[] { "speechStatistics" } }));
        }

        foreach (var id in ids)
        {
            Assert.Equal("succeeded", (await _jobs.WaitUntilFinishedAsync(id, TimeSpan.FromSeconds(120))).GetProperty("status").GetString());
        }

        await using var db = factory.CreateDbContext();
        var jobIds = ids.Select(i => new JobId(i)).ToList();
        Assert.Equal(20, await db.Transcriptions.CountAsync(t => jobIds.Contains(t.JobId)));
        Assert.Equal(20, await db.AnalysisResults.CountAsync(a => jobIds.Contains(a.JobId)));
        var workers = await db.Jobs.Where(j => jobIds.Contains(j.Id)).Select(j => j.Attempts).ToListAsync();
        Assert.All(workers, attempts => Assert.Equal(1, attempts));
    }

    [Fact]
    public async Task The_event_stream_follows_a_job_until_it_ends()
    {
        var mediaId = await _jobs.UploadAsync(SpeechSamples.Librivox()[2].Path, "audio/wav");
        var jobId = await _jobs.SubmitAsync(mediaId);
        using var client = factory.CreateClient();
        client.Timeout = TimeSpan.FromSeconds(60);

        var stream = await client.GetStringAsync(new Uri($"/api/v1/jobs/{jobId}/events", UriKind.Relative));

        var events = stream.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('\n').Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..])
            .Select(d => System.Text.Json.JsonDocument.Parse(d).RootElement)
            .ToList();
        Assert.True(events.Count >= 2, stream);
        Assert.Equal("succeeded", events[^1].GetProperty("status").GetString());
        var progress = events.Select(e => e.GetProperty("progress").GetInt32()).ToList();
        Assert.Equal(progress.Order(), progress);
    }

    [Fact]
    public async Task Streaming_events_of_an_unknown_job_is_404() =>
        await (await factory.CreateClient().GetAsync(new Uri($"/api/v1/jobs/{Guid.CreateVersion7()}/events", UriKind.Relative)))
            .AssertProblemAsync(System.Net.HttpStatusCode.NotFound);

    private bool DecoderRunning() =>
        Process.GetProcessesByName("pocketsphinx_continuous").Any(p =>
        {
            try
            {
                return File.ReadAllText($"/proc/{p.Id}/cmdline").Contains(factory.ScratchPath, StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false;
            }
        });
}
