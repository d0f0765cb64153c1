using System.Diagnostics;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Infrastructure.Queue;
using MediaPlatform.TestSupport.Media;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaPlatform.Api.Tests.Processing;

/// <summary>The process and its jobs survive what used to stop them.</summary>
[Collection(ProcessingCollection.Name)]
public sealed class OutageSurvivalTests(ProcessingFactory factory) : IClassFixture<ProcessingFactory>, IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mp-outage-");

    public void Dispose() => _work.Delete(recursive: true);

    [Theory]
    [InlineData("worker")]
    [InlineData("all")]
    public async Task A_process_whose_database_is_unreachable_keeps_running_and_logs_one_line_per_loop(string role)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
            Environment =
            {
                ["Database__ConnectionString"] = "Host=127.0.0.1;Port=1;Database=nowhere;Username=postgres",
                ["Database__MaxRetryCount"] = "1",
                ["Database__MaxRetryDelaySeconds"] = "1",
                ["Database__ConnectionTimeoutSeconds"] = "1",
                ["Storage__RootPath"] = _work.FullName,
                ["Queue__ReaperSeconds"] = "1",
                ["Queue__PollSeconds"] = "1",
                ["Retention__SweepSeconds"] = "1",
                ["Auth__KeyFile"] = Path.Combine(_work.FullName, "admin.key"),
            },
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "MediaPlatform.Api.dll"), "--role", role, "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // The reaper used to give up here (EF's RetryLimitExceededException), fault, and stop the whole host.
            await Task.Delay(TimeSpan.FromSeconds(10));

            Assert.False(process.HasExited, $"the process exited ({(process.HasExited ? process.ExitCode : 0)}):\n{string.Join('\n', output.TakeLast(30))}");
            var log = string.Join('\n', output);
            Assert.Equal(1, CountOf(log, "Lease reaper: the database is unavailable"));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_late_notification_of_the_jobs_submission_does_not_stop_its_fresh_claim()
    {
        var jobs = new JobClient(factory.CreateClient());
        var wav = SpeechSamples.Espeak(_work.FullName, "One, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve.");
        var job = await jobs.SubmitAsync(await jobs.UploadAsync(wav, "audio/wav"));
        await jobs.WaitAsync(job, j => j.GetProperty("currentStep").GetString() is "transcribe", TimeSpan.FromSeconds(60));
        uint current;
        await using (var db = factory.CreateDbContext())
        {
            current = (await db.Jobs.SingleAsync(j => j.Id == new Domain.Jobs.JobId(job))).Version;
        }

        // The "queued" of the submission, delivered late (as after a LISTEN reconnect): made before the claim.
        factory.Services.GetRequiredService<JobEventHub>().Publish(new JobEvent(job, "queued", 0, null, null, current - 1_000_000));

        var finished = await jobs.WaitUntilFinishedAsync(job);
        Assert.Equal("succeeded", finished.GetProperty("status").GetString());
        Assert.Equal(1, finished.GetProperty("attempts").GetInt32());
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
