using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing;
using MediaPlatform.Application.Processing.Chunking;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Transcriptions;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace MediaPlatform.Application.Tests.Processing;

/// <summary>The coordinator of a long recording's queued parts (docs/adr/0012), with its ports substituted.</summary>
public sealed class QueuedPartsTranscriberTests : IDisposable
{
    private static readonly AudioSpan[] Spans = [new(0, 30), new(30, 60), new(60, 90)];
    private readonly IAudioChunker _chunker = Substitute.For<IAudioChunker>();
    private readonly IBlobStore _blobs = Substitute.For<IBlobStore>();
    private readonly IJobPartQueue _queue = Substitute.For<IJobPartQueue>();
    private readonly ITranscriptionEngine _engine = Substitute.For<ITranscriptionEngine>();
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("mp-parts-tests-");
    private readonly List<double> _progress = [];
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly Job _job;

    public QueuedPartsTranscriberTests()
    {
        var media = MediaAsset.FromUpload("long.wav", "audio/wav", "blobs/long", 1024, new string('a', 64), DateTimeOffset.UtcNow).Value;
        _job = Job.Submit(media.Id, JobKind.Transcription, JobOptions.Default, Job.DefaultPriority, DateTimeOffset.UtcNow).Value;
        _engine.Name.Returns("pocketsphinx");
        _chunker.FindSilencesAsync("audio.wav", Arg.Any<CancellationToken>()).Returns(new SilenceMap(90, [new AudioSpan(29.5, 30.5), new AudioSpan(59.5, 60.5)]));
        _chunker.SplitAsync("audio.wav", Arg.Any<IReadOnlyList<AudioSpan>>(), Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<IReadOnlyList<AudioSpan>>().Select((_, i) =>
            {
                var path = Path.Combine(call.ArgAt<string>(2), $"part-{i}.wav");
                File.WriteAllBytes(path, [1, 2, 3]);
                return path;
            }).ToList());
        var saved = 0;
        _blobs.SaveAsync(Arg.Any<Stream>(), Arg.Any<long>(), Arg.Any<CancellationToken>())
            .Returns(_ => Result.Success(new StoredBlob($"parts/{Interlocked.Increment(ref saved) - 1}", 3, "sha")));
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public async Task A_recording_with_more_parts_than_the_worker_decodes_queues_them_and_merges_what_the_workers_decoded()
    {
        IReadOnlyList<PartPlan>? queued = null;
        _queue.When(q => q.EnqueueAsync(_job.Id, _job.TenantId, "pocketsphinx", null, Arg.Any<IReadOnlyList<PartPlan>>(), Arg.Any<CancellationToken>()))
            .Do(call => queued = call.Arg<IReadOnlyList<PartPlan>>());
        _queue.ListAsync(_job.Id, Arg.Any<CancellationToken>()).Returns(
            [],
            States(PartStatus.Done, PartStatus.Running, PartStatus.Queued),
            States(PartStatus.Done, PartStatus.Done, PartStatus.Done));
        _queue.TranscriptsAsync(_job.Id, Arg.Any<CancellationToken>()).Returns(new Dictionary<int, EngineTranscript>
        {
            [0] = Heard("one"),
            [1] = Heard("two"),
            [2] = Heard("three"),
        });

        var transcript = await Transcriber(parallel: 2).TranscribeAsync(
            _engine, _job, "audio.wav", TimeSpan.FromSeconds(90), null, _scratch.FullName, new Recorder(_progress), CancellationToken.None);

        Assert.Equal([(0.0, 0.0), (30.0, 27.0), (60.0, 57.0)], queued!.Select(p => (p.Keep.Start, p.DecodeFrom)));
        Assert.Equal(["parts/0", "parts/1", "parts/2"], queued!.Select(p => p.BlobKey));
        Assert.Equal(["one", "two", "three"], transcript.Segments.Select(s => s.Text));
        Assert.Equal([4.0, 31.0, 61.0], transcript.Segments.Select(s => s.Start)); // each at its part's offset, from its lead-in
        Assert.Equal([0.5, 1.0], _progress.Select(p => Math.Round(p, 2)).Distinct()); // a third done and half of the running one
        await _engine.DidNotReceiveWithAnyArgs().TranscribeAsync(default!, default, default, default, default!, default);
        await _blobs.Received(1).DeleteAsync("parts/1", Arg.Any<CancellationToken>());
        Assert.Empty(Directory.EnumerateFiles(_scratch.FullName, "*", SearchOption.AllDirectories)); // parts deleted once stored
    }

    [Fact]
    public async Task A_retried_job_goes_on_with_the_parts_an_earlier_attempt_queued()
    {
        _queue.ListAsync(_job.Id, Arg.Any<CancellationToken>()).Returns(
            States(PartStatus.Done, PartStatus.Queued, PartStatus.Done),
            States(PartStatus.Done, PartStatus.Done, PartStatus.Done));
        _queue.TranscriptsAsync(_job.Id, Arg.Any<CancellationToken>())
            .Returns(new Dictionary<int, EngineTranscript> { [0] = Heard("one"), [1] = Heard("two"), [2] = Heard("three") });

        var transcript = await Transcriber(parallel: 2).TranscribeAsync(
            _engine, _job, "audio.wav", TimeSpan.FromSeconds(90), null, _scratch.FullName, new Recorder(_progress), CancellationToken.None);

        Assert.Equal(3, transcript.Segments.Count);
        await _chunker.DidNotReceiveWithAnyArgs().SplitAsync(default!, default!, default!, default);
        await _blobs.DidNotReceiveWithAnyArgs().SaveAsync(default!, default, default);
        await _queue.DidNotReceiveWithAnyArgs().EnqueueAsync(default, default, default!, default, default!, default);
    }

    [Fact]
    public async Task A_part_that_failed_for_good_fails_the_job_with_its_error_and_the_parts_are_removed()
    {
        var failed = States(PartStatus.Done, PartStatus.Failed, PartStatus.Running).ToList();
        failed[1] = failed[1] with { ErrorCode = "engine.unknown", ErrorMessage = "no such engine" };
        _queue.ListAsync(_job.Id, Arg.Any<CancellationToken>()).Returns([], failed);

        var failure = await Assert.ThrowsAsync<MediaProcessingException>(() => Transcriber(parallel: 2).TranscribeAsync(
            _engine, _job, "audio.wav", TimeSpan.FromSeconds(90), null, _scratch.FullName, new Recorder(_progress), CancellationToken.None));

        Assert.Equal("engine.unknown", failure.Code);
        Assert.False(failure.IsTransient);
        Assert.Contains("Part 2 of 3", failure.Message, StringComparison.Ordinal);
        await _queue.Received(1).DeleteAsync(_job.Id, Arg.Any<CancellationToken>());
        await _blobs.Received(1).DeleteAsync("parts/0", Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_database_outage_while_the_parts_are_decoded_costs_the_job_nothing()
    {
        var calls = 0;
        _queue.ListAsync(_job.Id, Arg.Any<CancellationToken>()).Returns(_ => ++calls switch
        {
            1 => [],
            2 => throw new InvalidOperationException("Failed to connect to 127.0.0.1:5432"),
            _ => States(PartStatus.Done, PartStatus.Done, PartStatus.Done),
        });
        _queue.TranscriptsAsync(_job.Id, Arg.Any<CancellationToken>())
            .Returns(new Dictionary<int, EngineTranscript> { [0] = Heard("one"), [1] = Heard("two"), [2] = Heard("three") });

        var transcript = await Transcriber(parallel: 2).TranscribeAsync(
            _engine, _job, "audio.wav", TimeSpan.FromSeconds(90), null, _scratch.FullName, new Recorder(_progress), CancellationToken.None);

        Assert.Equal(3, transcript.Segments.Count);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task A_part_whose_workers_died_as_often_as_the_job_may_try_fails_the_job()
    {
        var abandoned = States(PartStatus.Done, PartStatus.Running, PartStatus.Done).ToList();
        abandoned[1] = abandoned[1] with { LeaseExpired = true, Attempts = _job.MaxAttempts };
        _queue.ListAsync(_job.Id, Arg.Any<CancellationToken>()).Returns([], abandoned);

        var failure = await Assert.ThrowsAsync<MediaProcessingException>(() => Transcriber(parallel: 2).TranscribeAsync(
            _engine, _job, "audio.wav", TimeSpan.FromSeconds(90), null, _scratch.FullName, new Recorder(_progress), CancellationToken.None));

        Assert.Equal("part.abandoned", failure.Code);
    }

    [Fact]
    public async Task Queued_parts_are_cut_to_the_larger_queued_size_to_spare_engine_starts_and_lead_ins()
    {
        _chunker.FindSilencesAsync("audio.wav", Arg.Any<CancellationToken>()).Returns(new SilenceMap(
            180, [new AudioSpan(29.5, 30.5), new AudioSpan(59.5, 60.5), new AudioSpan(89.5, 90.5), new AudioSpan(119.5, 120.5), new AudioSpan(149.5, 150.5)]));
        IReadOnlyList<PartPlan>? queued = null;
        _queue.When(q => q.EnqueueAsync(_job.Id, _job.TenantId, "pocketsphinx", null, Arg.Any<IReadOnlyList<PartPlan>>(), Arg.Any<CancellationToken>()))
            .Do(call => queued = call.Arg<IReadOnlyList<PartPlan>>());
        _queue.ListAsync(_job.Id, Arg.Any<CancellationToken>()).Returns(
            [],
            [.. new[] { new AudioSpan(0, 60), new AudioSpan(60, 120), new AudioSpan(120, 180) }.Select((span, i) =>
                new PartState(i, span, Math.Max(0, span.Start - 3), $"parts/{i}", PartStatus.Done, 1, 1, false, null, null))]);
        _queue.TranscriptsAsync(_job.Id, Arg.Any<CancellationToken>())
            .Returns(new Dictionary<int, EngineTranscript> { [0] = Heard("one"), [1] = Heard("two"), [2] = Heard("three") });
        var transcriber = new ChunkedTranscriber(
            _chunker,
            new ChunkingSettings(30, 2, QueueParts: true, QueuedChunkSeconds: 60),
            new QueuedPartsTranscriber(_chunker, _blobs, _queue, _time, NullLogger<QueuedPartsTranscriber>.Instance));

        await transcriber.TranscribeAsync(_engine, _job, "audio.wav", TimeSpan.FromSeconds(180), null, _scratch.FullName, new Recorder(_progress), CancellationToken.None);

        Assert.Equal([(0.0, 60.0), (60.0, 120.0), (120.0, 180.0)], queued!.Select(p => (p.Keep.Start, p.Keep.End)));
    }

    [Fact]
    public async Task A_recording_with_no_more_parts_than_the_worker_decodes_at_once_is_not_queued()
    {
        _engine.TranscribeAsync(Arg.Any<string>(), Arg.Any<TimeSpan>(), Arg.Any<TimeSpan>(), Arg.Any<string?>(), Arg.Any<IProgress<double>>(), Arg.Any<CancellationToken>())
            .Returns(Heard("local"));

        var transcript = await Transcriber(parallel: 3).TranscribeAsync(
            _engine, _job, "audio.wav", TimeSpan.FromSeconds(90), null, _scratch.FullName, new Recorder(_progress), CancellationToken.None);

        Assert.Equal(3, transcript.Segments.Count);
        await _queue.DidNotReceiveWithAnyArgs().EnqueueAsync(default, default, default!, default, default!, default);
        await _queue.DidNotReceiveWithAnyArgs().ListAsync(default, default);
    }

    private ChunkedTranscriber Transcriber(int parallel) => new(
        _chunker,
        new ChunkingSettings(30, parallel, QueueParts: true, QueuedChunkSeconds: 30),
        new QueuedPartsTranscriber(_chunker, _blobs, _queue, _time, NullLogger<QueuedPartsTranscriber>.Instance));

    private static PartState[] States(params PartStatus[] statuses) =>
        [.. statuses.Select((status, i) => new PartState(
            i, Spans[i], i == 0 ? 0 : Spans[i].Start - 3, $"parts/{i}", status, status == PartStatus.Running ? 0.5 : 0, 1, false, null, null))];

    private static EngineTranscript Heard(string text) =>
        new([new Segment(4, 5, text, 0.9, [new Word(text, 4, 5, 0.9)])], "model", "en");

    private sealed class Recorder(List<double> values) : IProgress<double>
    {
        public void Report(double value) => values.Add(value);
    }
}
