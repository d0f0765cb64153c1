using System.Diagnostics;
using System.Globalization;
using MediaPlatform.Application;
using MediaPlatform.Application.Processing;
using MediaPlatform.Bench;
using MediaPlatform.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

// queue <connection string> <jobs> <workers>: N queued jobs, W worker loops, a no-op step; prints JSON.
if (args is not ["queue", var connectionString, var jobsText, var workersText])
{
    await Console.Error.WriteLineAsync("usage: MediaPlatform.Bench queue <connection string> <jobs> <workers>");
    return 64;
}

var jobs = int.Parse(jobsText, CultureInfo.InvariantCulture);
var workers = int.Parse(workersText, CultureInfo.InvariantCulture);
var builder = Host.CreateApplicationBuilder();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Database:ConnectionString"] = connectionString,
    ["Database:MaxPoolSize"] = (workers * 3 + 4).ToString(CultureInfo.InvariantCulture),
    ["Queue:WorkerCount"] = workersText,
    ["Queue:PollSeconds"] = "1",
});
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddApplication().AddInfrastructure(builder.Configuration).AddWorkers();
builder.Services.AddScoped<IJobPipeline, NoOpPipeline>();
using var host = builder.Build();

var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
await using (var seed = dataSource.CreateCommand(
    """
    WITH media AS (
        INSERT INTO media_asset (id, source, status, storage_key, content_type, size_bytes, sha256, has_audio, has_video, created_at, updated_at)
        VALUES (gen_random_uuid(), 'upload', 'ready', 'bench/' || gen_random_uuid(), 'audio/wav', 1, repeat('0', 64), true, false, now(), now())
        RETURNING id)
    INSERT INTO job (id, media_asset_id, kind, options, priority, status, progress, attempts, max_attempts, run_after, created_at, updated_at)
    SELECT gen_random_uuid(), media.id, 'analysis', '{"language":null,"analyses":[],"engine":null}', 0, 'queued', 0, 0, 3, now(), now(), now()
    FROM media, generate_series(1, $1)
    """))
{
    seed.Parameters.Add(new NpgsqlParameter { Value = jobs });
    await seed.ExecuteNonQueryAsync();
}

var stopwatch = Stopwatch.StartNew();
await host.StartAsync();
await using var count = dataSource.CreateCommand("SELECT count(*) FROM job WHERE status = 'succeeded'");
while ((long)(await count.ExecuteScalarAsync())! < jobs)
{
    await Task.Delay(20);
}

var seconds = stopwatch.Elapsed.TotalSeconds;
Console.WriteLine($$"""{"jobs": {{jobs}}, "workers": {{workers}}, "seconds": {{seconds.ToString("F3", CultureInfo.InvariantCulture)}}, "jobsPerSecond": {{(jobs / seconds).ToString("F1", CultureInfo.InvariantCulture)}}}""");
await host.StopAsync();
return 0;
