using System.Diagnostics;
using System.Globalization;
using MediaPlatform.Application;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing;
using MediaPlatform.Bench;
using MediaPlatform.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

// queue <connection string> <jobs> <workers>: N queued jobs, W worker loops, a no-op step; prints JSON.
// fairness <connection string> <backlog> <workers>: tenant A queues a backlog of jobs that each work 20 ms; once the
// workers are busy with it, tenant B submits one job. Prints how long B's job waited (and, for comparison, how long
// it would have waited behind the backlog in plain FIFO order) as JSON.
// wer <reference file> <hypothesis file>: word errors with the tests' scorer; prints {"errors":E,"words":N}.
if (args is ["wer", var referenceFile, var hypothesisFile])
{
    var (errors, words) = MediaPlatform.TestSupport.Media.SpeechSamples.WordErrors(
        await File.ReadAllTextAsync(referenceFile), await File.ReadAllTextAsync(hypothesisFile));
    Console.WriteLine($"{{\"errors\":{errors},\"words\":{words}}}");
    return 0;
}

// decode <wav> <runs>: the offline engine alone (as the workers configure it) on one file, timed per run; prints JSON.
if (args is ["decode", var wavFile, var runsText])
{
    var decodeBuilder = Host.CreateApplicationBuilder();
    decodeBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
    decodeBuilder.Services.AddApplication().AddInfrastructure(decodeBuilder.Configuration);
    using var decodeHost = decodeBuilder.Build();
    var engine = decodeHost.Services.GetRequiredService<ITranscriptionEngineCatalog>().Find("pocketsphinx")!;
    var audio = TimeSpan.FromSeconds(new FileInfo(wavFile).Length / 32000.0);
    var times = new List<double>();
    for (var run = 0; run < int.Parse(runsText, CultureInfo.InvariantCulture); run++)
    {
        var watch = Stopwatch.StartNew();
        await engine.TranscribeAsync(wavFile, audio, TimeSpan.Zero, null, new Progress<double>());
        times.Add(watch.Elapsed.TotalSeconds);
    }

    Console.WriteLine($$"""{"audioSeconds": {{audio.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)}}, "seconds": [{{string.Join(", ", times.Select(t => t.ToString("F3", CultureInfo.InvariantCulture)))}}]}""");
    return 0;
}

// diarize: DER (0.25 s collar) of the offline diarizer on conversations of espeak-ng voices, with the audio as the
// extract step writes it and the reference turns as the speech (the words' role in a job); prints JSON.
if (args is ["diarize"])
{
    var diarizeBuilder = Host.CreateApplicationBuilder();
    diarizeBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
    diarizeBuilder.Services.AddApplication().AddInfrastructure(diarizeBuilder.Configuration);
    using var diarizeHost = diarizeBuilder.Build();
    var diarizer = diarizeHost.Services.GetRequiredService<MediaPlatform.Application.Abstractions.IDiarizer>();
    var extractor = diarizeHost.Services.GetRequiredService<MediaPlatform.Application.Abstractions.IAudioExtractor>();
    var folder = Directory.CreateTempSubdirectory("bench-diarize-").FullName;
    try
    {
        // The two-speaker set: three pairs of voices (a man and a woman twice, two men once); the count is not given.
        var pairs = new[] { ("en-us+m3", "en-us+f4"), ("en-gb+m2", "en-us+f2"), ("en-us+m1", "en-gb-x-rp+m4") };
        var results = new List<(string Set, double Der, int Found)>();
        var n = 0;
        foreach (var (a, b) in pairs)
        {
            results.Add(await ScoreAsync($"{a}/{b}", MediaPlatform.TestSupport.Media.Conversations.TwoSpeakers(a, b)));
        }

        var three = MediaPlatform.TestSupport.Media.Conversations.TwoSpeakers("en-us+m3", "en-us+f4")
            .Select((l, i) => i % 3 == 2 ? l with { Speaker = "C", Voice = "en-gb+m2" } : l).ToList();
        var threeResult = await ScoreAsync("three", three);
        // A held-out set: another conversation and three other pairs of voices, none of them used when the diarizer's
        // parameters were chosen.
        var heldOutPairs = new[] { ("en-us+david", "en-us+linda"), ("en-gb+andy", "en-us+annie"), ("en-us+michael", "en-us+edward") };
        var heldOut = new List<(string Set, double Der, int Found)>();
        foreach (var (a, b) in heldOutPairs)
        {
            heldOut.Add(await ScoreAsync($"{a}/{b}", MediaPlatform.TestSupport.Media.Conversations.TwoSpeakersHeldOut(a, b)));
        }

        // The same pairs where every other turn interrupts the one before it by 0.75 s (both speak at once): the
        // diarizer labels one speaker per word, so the overlapped second speaker is missed speech at best.
        var overlapping = new List<(string Set, double Der, int Found)>();
        foreach (var (a, b) in pairs)
        {
            overlapping.Add(await ScoreAsync($"{a}/{b}", MediaPlatform.TestSupport.Media.Conversations.TwoSpeakersOverlapping(a, b, 0.75)));
        }

        string Percent(double der) => (der * 100).ToString("F1", CultureInfo.InvariantCulture);
        var pairsJson = string.Join(", ", results.Select(r => $"{{ \"voices\": \"{r.Set}\", \"der_percent\": {Percent(r.Der)}, \"speakers_found\": {r.Found} }}"));
        var heldOutJson = string.Join(", ", heldOut.Select(r => $"{{ \"voices\": \"{r.Set}\", \"der_percent\": {Percent(r.Der)}, \"speakers_found\": {r.Found} }}"));
        var overlapJson = string.Join(", ", overlapping.Select(r => $"{{ \"voices\": \"{r.Set}\", \"der_percent\": {Percent(r.Der)}, \"speakers_found\": {r.Found} }}"));
        Console.WriteLine($"{{\"two_speaker_der_percent\": {Percent(results.Average(r => r.Der))}, \"pairs\": [{pairsJson}], \"three_speaker_der_percent\": {Percent(threeResult.Der)}, \"three_speakers_found\": {threeResult.Found}, \"held_out_der_percent\": {Percent(heldOut.Average(r => r.Der))}, \"held_out_pairs\": [{heldOutJson}], \"overlap_der_percent\": {Percent(overlapping.Average(r => r.Der))}, \"overlap_pairs\": [{overlapJson}]}}");
        return 0;

        async Task<(string Set, double Der, int Found)> ScoreAsync(string set, IReadOnlyList<MediaPlatform.TestSupport.Media.Conversations.Line> lines)
        {
            var (wav, reference) = MediaPlatform.TestSupport.Media.Conversations.Build(Path.Combine(folder, $"c{n++}"), lines);
            var extracted = Path.Combine(folder, $"c{n}-extracted.wav");
            await extractor.ExtractAsync(wav, extracted);
            var turns = await diarizer.DiarizeAsync(extracted, [.. reference.Select(t => (t.Start, t.End))], new MediaPlatform.Domain.Jobs.SpeakerLabels());
            var der = MediaPlatform.TestSupport.Media.DiarizationErrorRate.Score(
                reference, [.. turns.Select(t => new MediaPlatform.TestSupport.Media.Conversations.Turn(t.Speaker, t.Start, t.End))]);
            return (set, der, turns.Select(t => t.Speaker).Distinct().Count());
        }
    }
    finally
    {
        Directory.Delete(folder, recursive: true);
    }
}

// seed <connection string> <jobs>: N queued no-op jobs, as the queue figure inserts them (for its plain-SQL floor).
if (args is ["seed", var seedConnectionString, var seedJobsText])
{
    await using var seedSource = NpgsqlDataSource.Create(seedConnectionString);
    await SeedAsync(seedSource, int.Parse(seedJobsText, CultureInfo.InvariantCulture));
    return 0;
}

if (args is not [var mode and ("queue" or "fairness"), var connectionString, var jobsText, var workersText])
{
    await Console.Error.WriteLineAsync("usage: MediaPlatform.Bench queue|fairness <connection string> <jobs> <workers>");
    return 64;
}

var jobs = int.Parse(jobsText, CultureInfo.InvariantCulture);
var workers = int.Parse(workersText, CultureInfo.InvariantCulture);
var fairness = mode == "fairness";
var builder = Host.CreateApplicationBuilder();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Database:ConnectionString"] = connectionString,
    ["Database:MaxPoolSize"] = (workers * 3 + 4).ToString(CultureInfo.InvariantCulture),
    ["Queue:WorkerCount"] = workersText,
    ["Queue:PollSeconds"] = "1",
    // pg-boss's best setting fetches 10 jobs per worker at a time; the platform's counterpart is to claim 9 more per
    // loop than it runs (Queue:Prefetch, docs/adr/0016). The fairness figure keeps the default 0.
    ["Queue:Prefetch"] = fairness ? "0" : (workers * 9).ToString(CultureInfo.InvariantCulture),
});
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // standard output is the JSON result
builder.Services.AddApplication().AddInfrastructure(builder.Configuration).AddWorkers();
builder.Services.AddScoped<IJobPipeline, NoOpPipeline>();
builder.Services.AddSingleton(new BenchWork(fairness ? TimeSpan.FromMilliseconds(20) : TimeSpan.Zero));
using var host = builder.Build();

var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
const string SeedSql = """
    WITH media AS (
        INSERT INTO media_asset (id, tenant_id, source, status, storage_key, content_type, size_bytes, sha256, has_audio, has_video, created_at, updated_at)
        VALUES (gen_random_uuid(), '00000000-0000-0000-0000-000000000001', 'upload', 'ready', 'bench/' || gen_random_uuid(), 'audio/wav', 1, repeat('0', 64), true, false, now(), now())
        RETURNING id)
    INSERT INTO job (id, tenant_id, media_asset_id, kind, options, priority, status, progress, attempts, max_attempts, run_after, created_at, updated_at)
    SELECT gen_random_uuid(), '00000000-0000-0000-0000-000000000001', media.id, 'analysis', '{"language":null,"analyses":[],"engine":null}', 0, 'queued', 0, 0, 3, now(), now(), now()
    FROM media, generate_series(1, $1)
    """;
if (fairness)
{
    // The backlog is there before the workers start.
    await SeedAsync(dataSource, jobs);
    await host.StartAsync();
    return await MeasureFairnessAsync(dataSource, jobs, workers, host);
}

// The same protocol as bench/pgboss/queue.mjs: the workers are up and have run a warm-up (the steady state, as the
// HTTP figures measure it), then the clock starts and the jobs are inserted in one statement; the workers hear of them
// through the queue's notification. The warm-up goes in rounds of WarmUpJobs jobs, each followed by a pause, until two
// rounds in a row leave the JIT quiet (fewer than QuietMethods methods compiled each), at most MaxWarmUpRounds: the runtime
// promotes a hot method to optimised code only after 30 calls and 100 ms without new methods, on a background thread,
// so a single round of 500 left the promotion of 100-1,600 methods (0.05-0.7 CPU seconds, against a run's 0.3-0.7)
// inside the measured run, when it happened a matter of chance. pg-boss is given as many rounds (warmUpRounds).
const int WarmUpJobs = 500;
const int QuietMethods = 20;
const int MaxWarmUpRounds = 20;
var warmUpPause = TimeSpan.FromMilliseconds(300);
await host.StartAsync();
var warmUpRounds = 0;
for (var quietRounds = 0; quietRounds < 2 && warmUpRounds < MaxWarmUpRounds;)
{
    var compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
    warmUpRounds++;
    await SeedAsync(dataSource, WarmUpJobs);
    await WaitForSucceededAsync(dataSource, warmUpRounds * WarmUpJobs);
    await Task.Delay(warmUpPause);
    quietRounds = System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore < QuietMethods ? quietRounds + 1 : 0;
}

var warmUp = WarmUpJobs * warmUpRounds;
var machineBusy = MachineBusySeconds();
var processCpu = Environment.CpuUsage.TotalTime;
// How the queue batched while the jobs ran: claims and finishing transactions, and the jobs in them.
var batches = new Dictionary<string, (long Count, long Jobs)> { ["mediaplatform.queue.claim.size"] = (0, 0), ["mediaplatform.queue.finish.size"] = (0, 0) };
using var batchListener = new System.Diagnostics.Metrics.MeterListener();
batchListener.InstrumentPublished = (instrument, listener) =>
{
    if (batches.ContainsKey(instrument.Name))
    {
        listener.EnableMeasurementEvents(instrument);
    }
};
batchListener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
{
    lock (batches)
    {
        var (count, total) = batches[instrument.Name];
        batches[instrument.Name] = (count + 1, total + value);
    }
});
batchListener.Start();
var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
var jitTime = System.Runtime.JitInfo.GetCompilationTime();
var stopwatch = Stopwatch.StartNew();
await SeedAsync(dataSource, jobs);
await WaitForSucceededAsync(dataSource, warmUp + jobs);

var seconds = stopwatch.Elapsed.TotalSeconds;
// Where the time went: this process's CPU and the whole machine's (the rest is PostgreSQL's, on this quiet machine).
var clientCpu = (Environment.CpuUsage.TotalTime - processCpu).TotalSeconds;
var machineCpu = MachineBusySeconds() - machineBusy;
// Methods the JIT compiled while the jobs ran (a steady state compiles none) and the time it took.
var jitted = System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethods;
batchListener.Dispose();
var (claims, claimed) = batches["mediaplatform.queue.claim.size"];
var (finishes, finished) = batches["mediaplatform.queue.finish.size"];
var jitSeconds = (System.Runtime.JitInfo.GetCompilationTime() - jitTime).TotalSeconds;
Console.WriteLine($$"""{"jobs": {{jobs}}, "workers": {{workers}}, "seconds": {{seconds.ToString("F3", CultureInfo.InvariantCulture)}}, "jobsPerSecond": {{(jobs / seconds).ToString("F1", CultureInfo.InvariantCulture)}}, "clientCpuSeconds": {{clientCpu.ToString("F3", CultureInfo.InvariantCulture)}}, "machineCpuSeconds": {{machineCpu.ToString("F3", CultureInfo.InvariantCulture)}}, "jitMethods": {{jitted}}, "jitSeconds": {{jitSeconds.ToString("F3", CultureInfo.InvariantCulture)}}, "warmUpRounds": {{warmUpRounds}}, "claims": {{claims}}, "jobsPerClaim": {{(claims == 0 ? 0 : (double)claimed / claims).ToString("F1", CultureInfo.InvariantCulture)}}, "finishTransactions": {{finishes}}, "jobsPerFinish": {{(finishes == 0 ? 0 : (double)finished / finishes).ToString("F1", CultureInfo.InvariantCulture)}}}""");
await host.StopAsync();
return 0;

// The CPU seconds the machine has been busy since boot (user, nice, system, irq, softirq in /proc/stat; 0 elsewhere).
static double MachineBusySeconds()
{
    if (!File.Exists("/proc/stat"))
    {
        return 0;
    }

    var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    var ticks = new[] { 1, 2, 3, 6, 7 }.Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
    return ticks / 100.0;
}

static async Task WaitForSucceededAsync(NpgsqlDataSource dataSource, int jobs)
{
    await using var count = dataSource.CreateCommand("SELECT count(*) FROM job WHERE status = 'succeeded'");
    while ((long)(await count.ExecuteScalarAsync())! < jobs)
    {
        await Task.Delay(20);
    }
}

static async Task SeedAsync(NpgsqlDataSource dataSource, int jobs)
{
    await using var seed = dataSource.CreateCommand(SeedSql);
    seed.Parameters.Add(new NpgsqlParameter { Value = jobs });
    await seed.ExecuteNonQueryAsync();
}

static async Task<int> MeasureFairnessAsync(NpgsqlDataSource dataSource, int backlog, int workers, IHost host)
{
    // Let the backlog get going, so B arrives at a busy queue.
    await using (var started = dataSource.CreateCommand("SELECT count(*) FROM job WHERE status <> 'queued'"))
    {
        while ((long)(await started.ExecuteScalarAsync())! < workers * 2)
        {
            await Task.Delay(5);
        }
    }

    var lone = Guid.CreateVersion7();
    await using (var submit = dataSource.CreateCommand(
        """
        WITH tenant_b AS (
            INSERT INTO tenant (id, name, created_at, updated_at) VALUES (gen_random_uuid(), 'bench-b-' || gen_random_uuid(), now(), now()) RETURNING id),
        media AS (
            INSERT INTO media_asset (id, tenant_id, source, status, storage_key, content_type, size_bytes, sha256, has_audio, has_video, created_at, updated_at)
            SELECT gen_random_uuid(), tenant_b.id, 'upload', 'ready', 'bench/' || gen_random_uuid(), 'audio/wav', 1, repeat('0', 64), true, false, now(), now() FROM tenant_b
            RETURNING id, tenant_id)
        INSERT INTO job (id, tenant_id, media_asset_id, kind, options, priority, status, progress, attempts, max_attempts, run_after, created_at, updated_at)
        SELECT $1, media.tenant_id, media.id, 'analysis', '{"language":null,"analyses":[],"engine":null}', 0, 'queued', 0, 0, 3, now(), now(), now() FROM media
        """))
    {
        submit.Parameters.Add(new NpgsqlParameter { Value = lone });
        await submit.ExecuteNonQueryAsync();
    }

    var waited = Stopwatch.StartNew();
    long aheadInFifo;
    await using (var ahead = dataSource.CreateCommand("SELECT count(*) FROM job WHERE status = 'queued' AND id <> $1"))
    {
        ahead.Parameters.Add(new NpgsqlParameter { Value = lone });
        aheadInFifo = (long)(await ahead.ExecuteScalarAsync())!;
    }

    await using (var done = dataSource.CreateCommand("SELECT status = 'succeeded' FROM job WHERE id = $1"))
    {
        done.Parameters.Add(new NpgsqlParameter { Value = lone });
        while (!(bool)(await done.ExecuteScalarAsync())!)
        {
            await Task.Delay(2);
        }
    }

    var latency = waited.Elapsed.TotalMilliseconds;
    // Plain FIFO would run every job queued ahead of it first, at the workers' pace (20 ms each, W at a time).
    var fifo = (aheadInFifo * 20.0 / workers) + 20;
    Console.WriteLine($$"""{"backlog": {{backlog}}, "workers": {{workers}}, "loneJobLatencyMs": {{latency.ToString("F1", CultureInfo.InvariantCulture)}}, "fifoEstimateMs": {{fifo.ToString("F1", CultureInfo.InvariantCulture)}}, "queuedAhead": {{aheadInFifo}}}""");
    await host.StopAsync();
    return 0;
}
