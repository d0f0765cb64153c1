using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.TestSupport.Media;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Api.Tests.Processing;

/// <summary>Workers that die or stop: the queue's promises when processes come and go.</summary>
[Collection(ProcessingCollection.Name)]
public sealed class WorkerLifecycleTests(ApiFactory factory) : IClassFixture<ApiFactory>, IDisposable
{
    private readonly JobClient _jobs = new(factory.CreateClient());
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mp-media-");

    /// <summary>Decoders as processes of their own (not the default in-process decoders), whose fate these tests watch.</summary>
    private static readonly Dictionary<string, string?> ProgramDecoders = new() { ["Transcription:PocketSphinx:Mode"] = "process" };

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task A_worker_killed_with_SIGKILL_mid_job_completes_exactly_once_after_its_lease_expires()
    {
        var mediaId = await _jobs.UploadAsync(SpeechSamples.LongRecording(_work.FullName, repeats: 2), "audio/wav");
        using var doomed = WorkerProcess.Start(factory.ConnectionString, factory.BlobRoot, leaseSeconds: 3, settings: ProgramDecoders);
        var jobId = await _jobs.SubmitAsync(mediaId);
        await _jobs.WaitAsync(jobId, j => j.GetProperty("currentStep").GetString() == "transcribe" && j.GetProperty("progress").GetInt32() >= 20, TimeSpan.FromSeconds(90));
        int attemptsAtKill;
        await using (var db = factory.CreateDbContext())
        {
            var held = await db.Jobs.SingleAsync(j => j.Id == new JobId(jobId));
            Assert.Contains($":{doomed.Pid}:", held.LeaseOwner, StringComparison.Ordinal);
            // 1, or 2 when a starved heartbeat on a loaded machine cost the 3 s lease once and the worker took it back.
            attemptsAtKill = held.Attempts;
        }

        Assert.NotEmpty(doomed.RunningDecoders());
        doomed.KillHard();
        // Its decoder must not live on as an orphan: the process guard notices its parent is gone.
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (doomed.RunningDecoders().Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Empty(doomed.RunningDecoders());
        using var survivor = WorkerProcess.Start(factory.ConnectionString, factory.BlobRoot, leaseSeconds: 3);
        var job = await _jobs.WaitUntilFinishedAsync(jobId, TimeSpan.FromSeconds(120));

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(attemptsAtKill + 1, job.GetProperty("attempts").GetInt32()); // the survivor took it over once
        await using var read = factory.CreateDbContext();
        Assert.Equal(1, await read.Transcriptions.CountAsync(t => t.JobId == new JobId(jobId)));
    }

    [Fact]
    public async Task A_killed_worker_left_as_a_zombie_by_its_parent_still_takes_its_decoder_with_it()
    {
        var mediaId = await _jobs.UploadAsync(SpeechSamples.LongRecording(_work.FullName, repeats: 2), "audio/wav");
        using var doomed = WorkerProcess.Start(factory.ConnectionString, factory.BlobRoot, leaseSeconds: 3, underNonReapingParent: true, settings: ProgramDecoders);
        var jobId = await _jobs.SubmitAsync(mediaId);
        await _jobs.WaitAsync(jobId, j => j.GetProperty("currentStep").GetString() == "transcribe" && j.GetProperty("progress").GetInt32() >= 20, TimeSpan.FromSeconds(90));
        Assert.NotEmpty(doomed.RunningDecoders());

        doomed.KillHard();

        // Nobody reaps the worker: its /proc entry stays, as a zombie, and the guard must still see it as dead.
        Assert.Equal("Z", doomed.State());
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (doomed.RunningDecoders().Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Empty(doomed.RunningDecoders());
        using var survivor = WorkerProcess.Start(factory.ConnectionString, factory.BlobRoot, leaseSeconds: 3);
        var job = await _jobs.WaitUntilFinishedAsync(jobId, TimeSpan.FromSeconds(120));
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_worker_that_shuts_down_releases_its_job_without_charging_the_attempt()
    {
        var mediaId = await _jobs.UploadAsync(SpeechSamples.LongRecording(_work.FullName, repeats: 2), "audio/wav");
        using var worker = WorkerProcess.Start(factory.ConnectionString, factory.BlobRoot, leaseSeconds: 30);
        var jobId = await _jobs.SubmitAsync(mediaId);
        await _jobs.WaitAsync(jobId, j => j.GetProperty("currentStep").GetString() == "transcribe", TimeSpan.FromSeconds(90));

        worker.Stop();

        var job = await _jobs.GetAsync($"/api/v1/jobs/{jobId}");
        Assert.True(worker.HasExited);
        Assert.Equal("queued", job.GetProperty("status").GetString());
        Assert.Equal(0, job.GetProperty("attempts").GetInt32());
        await using var db = factory.CreateDbContext();
        Assert.Null((await db.Jobs.SingleAsync(j => j.Id == new JobId(jobId))).LeaseOwner);
    }
}
