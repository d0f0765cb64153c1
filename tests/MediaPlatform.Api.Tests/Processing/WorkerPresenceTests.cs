using System.Text.Json;
using MediaPlatform.Api.Tests.Access;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.TestSupport.Media;
using Npgsql;

namespace MediaPlatform.Api.Tests.Processing;

/// <summary>
/// <c>GET /api/v1/queue</c>'s <c>processes</c>: real worker processes (<c>--role worker</c>) seen by a service that runs
/// none itself, idle and busy, and gone when they stop or die.
/// </summary>
[Collection(ProcessingCollection.Name)]
public sealed class WorkerPresenceTests(ApiFactory factory) : IClassFixture<ApiFactory>, IDisposable
{
    private readonly JobClient _admin = new(factory.CreateClient());
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mp-media-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task A_worker_process_is_listed_idle_and_busy_and_leaves_the_list_when_it_stops()
    {
        var mediaId = await _admin.UploadAsync(SpeechSamples.LongRecording(_work.FullName, repeats: 2), "audio/wav");
        using var worker = WorkerProcess.Start(factory.ConnectionString, factory.BlobRoot, leaseSeconds: 30);

        var idle = await WaitForAsync(worker.Pid, p => p is not null, TimeSpan.FromSeconds(60));
        Assert.Equal($"{Environment.MachineName}:{worker.Pid}", idle!.Value.GetProperty("id").GetString());
        Assert.Equal(Environment.MachineName, idle.Value.GetProperty("host").GetString());
        Assert.Equal(1, idle.Value.GetProperty("jobLoops").GetInt32());
        Assert.Equal(0, idle.Value.GetProperty("runningJobs").GetInt64());
        Assert.True(idle.Value.GetProperty("lastSeenAt").GetDateTimeOffset() >= idle.Value.GetProperty("startedAt").GetDateTimeOffset());

        var jobId = await _admin.SubmitAsync(mediaId);
        await _admin.WaitAsync(jobId, j => j.GetProperty("status").GetString() == "running", TimeSpan.FromSeconds(60));
        var busy = await WaitForAsync(worker.Pid, p => p?.GetProperty("runningJobs").GetInt64() == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(idle.Value.GetProperty("startedAt").GetDateTimeOffset(), busy!.Value.GetProperty("startedAt").GetDateTimeOffset());

        // Processes are shared by every tenant: a tenant's key sees its queue, not them.
        var (_, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"presence-{Guid.NewGuid():N}");
        Assert.Empty((await new JobClient(client).GetAsync("/api/v1/queue")).GetProperty("processes").EnumerateArray());

        worker.Stop();

        Assert.Null(Find(await _admin.GetAsync("/api/v1/queue"), worker.Pid)); // removed on the way out, not left to expire
        Assert.Equal(0, await RowsAsync(worker.Pid));
    }

    [Fact]
    public async Task A_killed_worker_process_drops_out_once_its_presence_runs_out_and_the_next_one_clears_its_row()
    {
        using var doomed = WorkerProcess.Start(factory.ConnectionString, factory.BlobRoot, leaseSeconds: 3);
        await WaitForAsync(doomed.Pid, p => p is not null, TimeSpan.FromSeconds(60));

        doomed.KillHard();

        // Written every second and valid for three (the lease): still listed right after the kill, gone within seconds.
        Assert.NotNull(Find(await _admin.GetAsync("/api/v1/queue"), doomed.Pid));
        await WaitForAsync(doomed.Pid, p => p is null, TimeSpan.FromSeconds(15));
        Assert.Equal(1, await RowsAsync(doomed.Pid)); // nobody has written since: the row is there, past its expiry

        using var next = WorkerProcess.Start(factory.ConnectionString, factory.BlobRoot, leaseSeconds: 3);
        await WaitForAsync(next.Pid, p => p is not null, TimeSpan.FromSeconds(60));
        Assert.Equal(0, await RowsAsync(doomed.Pid));
    }

    private async Task<JsonElement?> WaitForAsync(int pid, Func<JsonElement?, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var queue = await _admin.GetAsync("/api/v1/queue");
            var process = Find(queue, pid);
            if (condition(process))
            {
                return process;
            }

            Assert.True(DateTime.UtcNow < deadline, $"process {pid} not as expected within {timeout}: {queue.GetProperty("processes").GetRawText()}");
            await Task.Delay(200);
        }
    }

    private static JsonElement? Find(JsonElement queue, int pid)
    {
        foreach (var process in queue.GetProperty("processes").EnumerateArray())
        {
            if (process.GetProperty("pid").GetInt32() == pid && process.GetProperty("host").GetString() == Environment.MachineName)
            {
                return process;
            }
        }

        return null;
    }

    private async Task<long> RowsAsync(int pid)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM worker_process WHERE id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = $"{Environment.MachineName}:{pid}" });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
