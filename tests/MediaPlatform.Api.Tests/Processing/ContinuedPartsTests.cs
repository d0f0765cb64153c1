using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.TestSupport.Media;

namespace MediaPlatform.Api.Tests.Processing;

/// <summary>One worker loop for parts, 10 s queued parts going on in runs of 5, tracing on: a long recording's parts all go to the one loop.</summary>
public sealed class OnePartLoopFactory : TracingFactory
{
    protected override int WorkerCount => 1;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        base.Settings().Concat(new Dictionary<string, string?>
        {
            ["Transcription:ChunkSeconds"] = "10",
            ["Transcription:QueuedChunkSeconds"] = "10",
            ["Transcription:MaxParallelChunks"] = "1",
            ["Transcription:PartsPerRun"] = "5",
        });
}

/// <summary>A worker goes on from a part to the next of the same job on its decoder (docs/adr/0031).</summary>
[Collection(ProcessingCollection.Name)]
public sealed class ContinuedPartsTests(OnePartLoopFactory factory) : IClassFixture<OnePartLoopFactory>, IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mp-media-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task A_worker_decoding_a_recordings_parts_in_turn_goes_on_from_each_to_the_next_without_its_lead_in()
    {
        var jobs = new JobClient(factory.CreateClient());
        var jobId = await jobs.SubmitAsync(await jobs.UploadAsync(SpeechSamples.LongRecording(_work.FullName, repeats: 1), "audio/wav"));

        Assert.Equal("succeeded", (await jobs.WaitUntilFinishedAsync(jobId, TimeSpan.FromSeconds(120))).GetProperty("status").GetString());

        var parts = factory.Spans
            .Where(s => s.OperationName == "job.part" && (string?)s.GetTagItem("mediaplatform.job.id") == jobId.ToString())
            .OrderBy(s => (int)s.GetTagItem("mediaplatform.part.index")!)
            .Select(s => (bool?)s.GetTagItem("mediaplatform.part.continued"))
            .ToList();
        Assert.True(parts.Count >= 3, $"{parts.Count} parts");
        Assert.Equal([false, .. Enumerable.Repeat<bool?>(true, parts.Count - 1)], parts);
        var text = (await jobs.GetAsync($"/api/v1/jobs/{jobId}/transcription")).GetProperty("text").GetString()!;
        var (errors, words) = SpeechSamples.WordErrors(SpeechSamples.LongRecordingReference(1), text);
        Assert.True(errors < words / 2, $"{errors} errors in {words} words: {text}");
    }
}
