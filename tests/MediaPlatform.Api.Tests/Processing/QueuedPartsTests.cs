using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.TestSupport.Media;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MediaPlatform.Api.Tests.Processing;

/// <summary>
/// The parts of a long recording as work items (docs/adr/0012): worker processes that share only the database and
/// the blob store take a job's parts between them, and a process killed while decoding one costs nothing but time.
/// </summary>
[Collection(ProcessingCollection.Name)]
public sealed class QueuedPartsTests(ApiFactory factory) : IClassFixture<ApiFactory>, IDisposable
{
    /// <summary>Short parts, one engine process per worker, and leases that run out quickly after a kill.</summary>
    private static readonly Dictionary<string, string?> PartSettings = new()
    {
        ["Transcription:ChunkSeconds"] = "10",
        ["Transcription:QueuedChunkSeconds"] = "10",
        ["Transcription:MaxParallelChunks"] = "1",
    };

    private readonly JobClient _jobs = new(factory.CreateClient());
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mp-media-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task A_long_recordings_parts_are_decoded_by_two_workers_and_one_killed_mid_part_still_completes_it_exactly_once()
    {
        var mediaId = await _jobs.UploadAsync(SpeechSamples.LongRecording(_work.FullName, repeats: 1), "audio/wav");
        using var first = WorkerProcess.Start(factory.ConnectionString, factory.BlobRoot, leaseSeconds: 3, settings: PartSettings);
        using var second = WorkerProcess.Start(factory.ConnectionString, factory.BlobRoot, leaseSeconds: 3, settings: PartSettings);
        var jobId = await _jobs.SubmitAsync(mediaId);

        // Wait until the worker holding the job (the coordinator) is also decoding a part, and the other worker has
        // decoded or is decoding one: then kill the coordinator, mid-part.
        var (coordinator, owners) = await WaitForPartsOfBothAsync(jobId, [first, second]);
        var doomed = coordinator == first.Pid ? first : second;
        var survivor = doomed == first ? second : first;
        Assert.Contains(survivor.Pid, owners);

        // Attempts so far: 1, or more when a starved heartbeat on a loaded machine already cost the 3 s lease once
        // before the kill (both processes decode, so the takeover then is as legitimate as the one this test makes).
        var attemptsAtKill = await ScalarAsync<int>("SELECT attempts FROM job WHERE id = $1", jobId);
        doomed.KillHard();

        var job = await _jobs.WaitUntilFinishedAsync(jobId, TimeSpan.FromSeconds(180));

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var attempts = job.GetProperty("attempts").GetInt32();
        Assert.True(
            attempts == attemptsAtKill + 1,
            $"The survivor should take the job over exactly once after the kill: {attemptsAtKill} attempt(s) at the kill, {attempts} at the end.{Environment.NewLine}killed {doomed.Pid}:{Environment.NewLine}{doomed.Output}{Environment.NewLine}survivor {survivor.Pid}:{Environment.NewLine}{survivor.Output}");
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(1, await db.Transcriptions.CountAsync(t => t.JobId == new JobId(jobId)));
        }

        Assert.Equal(0, await ScalarAsync<long>("SELECT count(*) FROM job_part WHERE job_id = $1", jobId));
        var transcription = await _jobs.GetAsync($"/api/v1/jobs/{jobId}/transcription");
        var distributed = transcription.GetProperty("text").GetString()!;
        // No word doubled at a cut: the words follow each other in time.
        var timed = transcription.GetProperty("segments").EnumerateArray().SelectMany(s => s.GetProperty("words").EnumerateArray())
            .Select(w => (Text: w.GetProperty("text").GetString(), Start: w.GetProperty("start").GetDouble(), End: w.GetProperty("end").GetDouble())).ToList();
        Assert.All(timed.Zip(timed.Skip(1)), pair => Assert.True(pair.Second.Start >= pair.First.End - 0.01, $"'{pair.Second.Text}' at {pair.Second.Start} s overlaps '{pair.First.Text}' ending at {pair.First.End} s"));

        // The same parts decoded in one process, without the queue: every word once, none lost, none doubled (every
        // part from its lead-in, the default: docs/adr/0031).
        survivor.Stop();
        using var alone = WorkerProcess.Start(factory.ConnectionString, factory.BlobRoot, leaseSeconds: 30, settings: new Dictionary<string, string?>(PartSettings)
        {
            ["Transcription:QueueParts"] = "false",
            ["Transcription:MaxParallelChunks"] = "2",
        });
        var reference = await _jobs.WaitUntilFinishedAsync(await _jobs.SubmitAsync(mediaId), TimeSpan.FromSeconds(180));
        Assert.Equal("succeeded", reference.GetProperty("status").GetString());
        var inProcess = (await _jobs.GetAsync($"/api/v1/jobs/{reference.GetProperty("id").GetGuid()}/transcription")).GetProperty("text").GetString()!;
        Assert.Equal(inProcess, distributed);
        var (errors, words) = SpeechSamples.WordErrors(SpeechSamples.LongRecordingReference(1), distributed);
        Assert.True(errors < words / 2, $"{errors} errors in {words} words");
    }

    /// <summary>
    /// Polls until the job's lease holder also holds a running part and another process holds or finished one;
    /// returns the coordinator's pid and the pids that have held parts.
    /// </summary>
    private async Task<(int Coordinator, HashSet<int> PartOwners)> WaitForPartsOfBothAsync(Guid jobId, WorkerProcess[] workers)
    {
        var seen = new HashSet<int>();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var jobOwner = await ScalarAsync<string?>("SELECT lease_owner FROM job WHERE id = $1", jobId);
            var running = await ListAsync("SELECT lease_owner FROM job_part WHERE job_id = $1 AND status = 'running'", jobId);
            foreach (var worker in workers.Where(w => running.Any(o => o.Contains($":{w.Pid}:", StringComparison.Ordinal))))
            {
                seen.Add(worker.Pid);
            }

            if (jobOwner is not null
                && workers.FirstOrDefault(w => jobOwner.Contains($":{w.Pid}:", StringComparison.Ordinal)) is { } coordinator
                && running.Any(o => o.Contains($":{coordinator.Pid}:part", StringComparison.Ordinal))
                && seen.Count == 2)
            {
                return (coordinator.Pid, seen);
            }

            await Task.Delay(100);
        }

        throw new TimeoutException(
            $"The parts of job {jobId} were not taken by both workers.{Environment.NewLine}{string.Join(Environment.NewLine, workers.Select(w => $"worker {w.Pid}:{Environment.NewLine}{w.Output}"))}");
    }

    private async Task<T> ScalarAsync<T>(string sql, Guid jobId)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter { Value = jobId } } };
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    private async Task<List<string>> ListAsync(string sql, Guid jobId)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new NpgsqlParameter { Value = jobId } } };
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
