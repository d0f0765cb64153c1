using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing.Chunking;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Transcriptions;
using MediaPlatform.Infrastructure.Queue;
using MediaPlatform.TestSupport.Builders;
using MediaPlatform.TestSupport.Postgres;
using Npgsql;

namespace MediaPlatform.Infrastructure.Tests.Queue;

/// <summary>The parts of long recordings as work items (docs/adr/0012), against real PostgreSQL.</summary>
public sealed class JobPartQueueTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private string _connectionString = null!;
    private NpgsqlDataSource _source = null!;
    private JobPartQueue _queue = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await fixture.Server.CreateMigratedDatabaseAsync();
        _source = NpgsqlDataSource.Create(_connectionString);
        _queue = new JobPartQueue(_source, new JobEventHub());
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await fixture.Server.DropDatabaseAsync(_connectionString);
    }

    [Fact]
    public async Task Each_part_is_claimed_by_one_worker_and_comes_back_with_its_transcript()
    {
        var job = await RunningJobAsync();
        await _queue.EnqueueAsync(job.Id, job.TenantId, "pocketsphinx", "en", Plans(3));

        var claimed = new[] { await _queue.ClaimAsync("a", Minute), await _queue.ClaimAsync("b", Minute), await _queue.ClaimAsync("c", Minute) };

        Assert.Equal([0, 1, 2], claimed.Select(p => p!.Index).Order());
        Assert.Null(await _queue.ClaimAsync("d", Minute));
        var second = claimed.Single(p => p!.Index == 1)!;
        Assert.Equal(new AudioSpan(30, 60), second.Keep);
        Assert.Equal(27, second.DecodeFrom);
        Assert.Equal(("pocketsphinx", "en", 1), (second.Engine, second.Language, second.Attempt));
        Assert.True(await _queue.CompleteAsync(second, Heard("second")));
        Assert.Equal([PartStatus.Running, PartStatus.Done, PartStatus.Running], (await _queue.ListAsync(job.Id)).Select(p => p.Status));
        Assert.Equal("second", (await _queue.TranscriptsAsync(job.Id))[1].Segments.Single().Words.Single().Text);
    }

    [Fact]
    public async Task Workers_that_do_not_go_on_through_parts_claim_them_in_order()
    {
        var job = await RunningJobAsync();
        await _queue.EnqueueAsync(job.Id, job.TenantId, "pocketsphinx", null, Plans(10));

        var claimed = new[] { await _queue.ClaimAsync("a", Minute, forRuns: false), await _queue.ClaimAsync("b", Minute, forRuns: false), await _queue.ClaimAsync("c", Minute, forRuns: false) };

        Assert.Equal([0, 1, 2], claimed.Select(p => p!.Index));
    }

    [Fact]
    public async Task A_worker_joining_takes_the_middle_of_the_parts_left_so_the_first_can_go_on_through_its_half()
    {
        var job = await RunningJobAsync();
        await _queue.EnqueueAsync(job.Id, job.TenantId, "pocketsphinx", null, Plans(10));

        var first = await _queue.ClaimAsync("a", Minute);
        var joining = await _queue.ClaimAsync("b", Minute);
        var next = await _queue.ClaimNextAsync("a", Minute, job.Id, first!.Index + 1);
        var third = await _queue.ClaimAsync("c", Minute);

        Assert.Equal(0, first.Index);
        Assert.Equal(5, joining!.Index); // parts 1-9 are left and part 0's worker goes on: 1 + 9 / 2
        Assert.Equal(1, next!.Index);
        Assert.Equal(8, third!.Index); // 2-4 follow part 1 and 6-9 part 5: the middle of the longer, 6 + 4 / 2
        Assert.Null(await _queue.ClaimNextAsync("b", Minute, job.Id, 8)); // held by c
    }

    [Fact]
    public async Task Parts_no_worker_goes_on_to_are_taken_from_their_start()
    {
        var job = await RunningJobAsync();
        await _queue.EnqueueAsync(job.Id, job.TenantId, "pocketsphinx", null, Plans(6));
        var first = await _queue.ClaimAsync("a", Minute);
        var joining = await _queue.ClaimAsync("b", Minute);
        Assert.Equal((0, 3), (first!.Index, joining!.Index));

        // Part 0 is done and nobody took part 1 to go on with; part 3 failed and waits for its retry.
        Assert.True(await _queue.CompleteAsync(first, Heard("zero")));
        Assert.True(await _queue.FailAsync(joining, "engine.crashed", "it crashed", transient: true, Minute));

        Assert.Equal(1, (await _queue.ClaimAsync("c", Minute))!.Index);
        Assert.Equal(4, (await _queue.ClaimAsync("d", Minute))!.Index); // 2 follows c's part; 4-5 follow nobody
    }

    [Fact]
    public async Task The_next_part_is_claimed_only_while_it_is_claimable()
    {
        var job = await RunningJobAsync();
        await _queue.EnqueueAsync(job.Id, job.TenantId, "pocketsphinx", null, Plans(3));
        var first = await _queue.ClaimAsync("a", Minute);
        Assert.True(await _queue.CompleteAsync((await _queue.ClaimNextAsync("a", Minute, job.Id, 1))!, Heard("one")));

        Assert.Null(await _queue.ClaimNextAsync("a", Minute, job.Id, 1)); // done
        Assert.Null(await _queue.ClaimNextAsync("a", Minute, job.Id, 3)); // there is no part 3
        await ExecuteAsync($"UPDATE job SET status = 'cancelled', lease_owner = NULL, lease_expires_at = NULL, finished_at = now() WHERE id = '{job.Id.Value}'");
        Assert.Null(await _queue.ClaimNextAsync("a", Minute, job.Id, first!.Index + 2)); // its job ended
    }

    [Fact]
    public async Task A_claimed_part_carries_its_jobs_custom_vocabulary()
    {
        // Found missing: parts decoded by other workers were decoded without the job's vocabulary.
        var job = await RunningJobAsync(new JobOptions(null, null, null, vocabulary: ["Kubernetes", "Anand Nguyen"]));
        await _queue.EnqueueAsync(job.Id, job.TenantId, "pocketsphinx", null, Plans(2));
        var plain = await RunningJobAsync();
        await _queue.EnqueueAsync(plain.Id, plain.TenantId, "pocketsphinx", null, Plans(1));

        var claimed = new[] { await _queue.ClaimAsync("a", Minute), await _queue.ClaimAsync("b", Minute), await _queue.ClaimAsync("c", Minute) };

        Assert.Equal(
            [["Kubernetes", "Anand Nguyen"], ["Kubernetes", "Anand Nguyen"], []],
            claimed.OrderBy(p => p!.JobId == job.Id ? 0 : 1).Select(p => p!.Vocabulary.ToArray()));
    }

    [Fact]
    public async Task A_part_whose_worker_died_is_claimed_again_and_the_dead_workers_late_result_is_refused()
    {
        var job = await RunningJobAsync();
        await _queue.EnqueueAsync(job.Id, job.TenantId, "pocketsphinx", null, Plans(1));
        var dead = await _queue.ClaimAsync("dead", TimeSpan.FromMilliseconds(300));
        Assert.Null(await _queue.ClaimAsync("other", Minute));

        await Task.Delay(500);
        var taken = await _queue.ClaimAsync("other", Minute);

        Assert.Equal((0, 2), (taken!.Index, taken.Attempt));
        Assert.False(await _queue.CompleteAsync(dead!, Heard("stale")));
        Assert.False(await _queue.RenewAsync(dead!, Minute, 0.5));
        Assert.True(await _queue.CompleteAsync(taken, Heard("fresh")));
        Assert.Equal("fresh", (await _queue.TranscriptsAsync(job.Id))[0].Segments.Single().Text);
    }

    [Fact]
    public async Task A_transient_failure_requeues_only_that_part_until_the_jobs_attempts_are_spent()
    {
        var job = await RunningJobAsync();
        await _queue.EnqueueAsync(job.Id, job.TenantId, "pocketsphinx", null, Plans(2));
        var other = await _queue.ClaimAsync("w", Minute);
        Assert.True(await _queue.CompleteAsync(other!, Heard("kept")));

        for (var attempt = 1; attempt <= Job.DefaultMaxAttempts; attempt++)
        {
            var part = await _queue.ClaimAsync("w", Minute);
            Assert.Equal((1, attempt), (part!.Index, part.Attempt));
            Assert.True(await _queue.FailAsync(part, "engine.crashed", "it crashed", transient: true, TimeSpan.Zero));
        }

        var states = await _queue.ListAsync(job.Id);
        Assert.Equal([PartStatus.Done, PartStatus.Failed], states.Select(s => s.Status));
        Assert.Equal(("engine.crashed", "it crashed"), (states[1].ErrorCode, states[1].ErrorMessage));
        Assert.Null(await _queue.ClaimAsync("w", Minute));
        Assert.Equal("kept", (await _queue.TranscriptsAsync(job.Id))[0].Segments.Single().Text);
    }

    [Fact]
    public async Task A_permanent_failure_fails_the_part_at_once()
    {
        var job = await RunningJobAsync();
        await _queue.EnqueueAsync(job.Id, job.TenantId, "pocketsphinx", null, Plans(1));
        var part = await _queue.ClaimAsync("w", Minute);

        Assert.True(await _queue.FailAsync(part!, "engine.unknown", "no such engine", transient: false, TimeSpan.Zero));

        Assert.Equal(PartStatus.Failed, (await _queue.ListAsync(job.Id)).Single().Status);
        Assert.Null(await _queue.ClaimAsync("w", Minute));
    }

    [Fact]
    public async Task A_part_released_by_a_stopping_worker_keeps_its_attempt()
    {
        var job = await RunningJobAsync();
        await _queue.EnqueueAsync(job.Id, job.TenantId, "pocketsphinx", null, Plans(1));

        Assert.True(await _queue.ReleaseAsync((await _queue.ClaimAsync("stopping", Minute))!));

        Assert.Equal(1, (await _queue.ClaimAsync("next", Minute))!.Attempt);
    }

    [Fact]
    public async Task Parts_of_a_cancelled_job_are_not_claimed_and_their_heartbeats_are_refused()
    {
        var job = await RunningJobAsync();
        await _queue.EnqueueAsync(job.Id, job.TenantId, "pocketsphinx", null, Plans(2));
        var running = await _queue.ClaimAsync("w", Minute);

        await ExecuteAsync($"UPDATE job SET status = 'cancelled', lease_owner = NULL, lease_expires_at = NULL, finished_at = now() WHERE id = '{job.Id.Value}'");

        Assert.Null(await _queue.ClaimAsync("w", Minute));
        Assert.False(await _queue.RenewAsync(running!, Minute, 0.5));
    }

    [Fact]
    public async Task Queuing_the_same_parts_again_keeps_what_was_done_and_deleting_the_job_removes_its_parts()
    {
        var job = await RunningJobAsync();
        await _queue.EnqueueAsync(job.Id, job.TenantId, "pocketsphinx", null, Plans(2));
        Assert.True(await _queue.CompleteAsync((await _queue.ClaimAsync("w", Minute))!, Heard("done")));

        await _queue.EnqueueAsync(job.Id, job.TenantId, "pocketsphinx", null, Plans(2));

        Assert.Equal([PartStatus.Done, PartStatus.Queued], (await _queue.ListAsync(job.Id)).Select(s => s.Status));
        await ExecuteAsync($"DELETE FROM job WHERE id = '{job.Id.Value}'");
        Assert.Empty(await _queue.ListAsync(job.Id));
    }

    private async Task<Job> RunningJobAsync(JobOptions? options = null)
    {
        await using var db = PostgresDatabaseFixture.CreateDbContext(_connectionString);
        var now = DateTimeOffset.UtcNow;
        var media = TestData.UploadedMedia(now);
        var job = options is null ? TestData.QueuedJob(media, now) : Job.Submit(media.Id, JobKind.Transcription, options, Job.DefaultPriority, now).Value;
        db.MediaAssets.Add(media);
        db.Jobs.Add(job);
        Assert.True(job.Start("coordinator", now.AddMinutes(5), now).IsSuccess);
        await db.SaveChangesAsync();
        return job;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static List<PartPlan> Plans(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new PartPlan(i, new AudioSpan(i * 30, (i + 1) * 30), Math.Max(0, (i * 30) - 3), $"parts/{i}"))];

    private static EngineTranscript Heard(string text) => new([new Segment(1, 2, text, 0.9, [new Word(text, 1, 2, 0.9)])], "model", "en");
}
