using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing;
using MediaPlatform.Application.Processing.Chunking;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.Domain.Transcriptions;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace MediaPlatform.Application.Tests.Processing;

public sealed class ChunkedTranscriberTests : IDisposable
{
    private readonly IAudioChunker _chunker = Substitute.For<IAudioChunker>();
    private readonly ITranscriptionEngine _engine = Substitute.For<ITranscriptionEngine>();
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("mp-chunk-tests-");
    private readonly List<double> _progress = [];

    public ChunkedTranscriberTests()
    {
        _chunker.FindSilencesAsync("audio.wav", Arg.Any<CancellationToken>()).Returns(new SilenceMap(90, [new AudioSpan(29.5, 30.5), new AudioSpan(59.5, 60.5)]));
        _chunker.SplitAsync("audio.wav", Arg.Any<IReadOnlyList<AudioSpan>>(), Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<IReadOnlyList<AudioSpan>>().Select((_, i) => Path.Combine(call.ArgAt<string>(2), $"part-{i}.wav")).ToList());
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public async Task A_long_recording_is_decoded_in_parts_and_merged_at_their_offsets()
    {
        _engine.TranscribeAsync(Arg.Any<string>(), Arg.Any<TimeSpan>(), Arg.Any<TimeSpan>(), Arg.Any<string?>(), Arg.Any<IProgress<double>>(), Arg.Any<CancellationToken>())
            .Returns(call => Heard(Path.GetFileNameWithoutExtension(call.ArgAt<string>(0))));

        var transcript = await Transcriber(parallel: 2).TranscribeAsync(_engine, "audio.wav", TimeSpan.FromSeconds(90), "en", _scratch.FullName, new Recorder(_progress), CancellationToken.None);

        Assert.Equal(["part-0", "part-1", "part-2"], transcript.Segments.Select(s => s.Text));
        Assert.Equal([4.0, 31.0, 61.0], transcript.Segments.Select(s => s.Start)); // parts 2 and 3 were decoded from 3 s before their cut
        Assert.Equal(1.0, _progress[^1], 3);
    }

    [Fact]
    public async Task Each_part_tells_the_engine_how_much_of_its_audio_is_lead_in()
    {
        var leadIns = new Dictionary<string, TimeSpan>();
        _engine.TranscribeAsync(Arg.Any<string>(), Arg.Any<TimeSpan>(), Arg.Any<TimeSpan>(), Arg.Any<string?>(), Arg.Any<IProgress<double>>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                lock (leadIns)
                {
                    leadIns[Path.GetFileNameWithoutExtension(call.ArgAt<string>(0))] = call.ArgAt<TimeSpan>(2);
                }

                return Heard(Path.GetFileNameWithoutExtension(call.ArgAt<string>(0)));
            });

        await Transcriber(parallel: 3).TranscribeAsync(_engine, "audio.wav", TimeSpan.FromSeconds(90), "en", _scratch.FullName, new Recorder(_progress), CancellationToken.None);

        Assert.Equal(TimeSpan.Zero, leadIns["part-0"]);
        Assert.Equal(3, leadIns["part-1"].TotalSeconds, 6);
        Assert.Equal(3, leadIns["part-2"].TotalSeconds, 6);
    }

    [Fact]
    public async Task No_more_parts_than_max_parallel_chunks_are_decoded_at_once()
    {
        var running = 0;
        var most = 0;
        _engine.TranscribeAsync(Arg.Any<string>(), Arg.Any<TimeSpan>(), Arg.Any<TimeSpan>(), Arg.Any<string?>(), Arg.Any<IProgress<double>>(), Arg.Any<CancellationToken>())
            .Returns(async call =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                await Task.Delay(50);
                Interlocked.Decrement(ref running);
                return Heard(Path.GetFileNameWithoutExtension(call.ArgAt<string>(0)));
            });
        _chunker.FindSilencesAsync("audio.wav", Arg.Any<CancellationToken>()).Returns(new SilenceMap(300, []));

        var transcript = await Transcriber(parallel: 3).TranscribeAsync(_engine, "audio.wav", TimeSpan.FromSeconds(300), null, _scratch.FullName, new Recorder(_progress), CancellationToken.None);

        Assert.Equal(10, transcript.Segments.Count);
        Assert.Equal(3, most);
    }

    [Fact]
    public async Task A_failing_part_stops_the_others_and_its_error_is_the_jobs()
    {
        var started = 0;
        var cancelled = 0;
        _engine.TranscribeAsync(Arg.Is<string>(p => p.EndsWith("part-1.wav", StringComparison.Ordinal)), Arg.Any<TimeSpan>(), Arg.Any<TimeSpan>(), Arg.Any<string?>(), Arg.Any<IProgress<double>>(), Arg.Any<CancellationToken>())
            .ThrowsAsync(new MediaProcessingException("engine.failed", "The offline engine stopped with exit code 1.", isTransient: true));
        _engine.TranscribeAsync(Arg.Is<string>(p => !p.EndsWith("part-1.wav", StringComparison.Ordinal)), Arg.Any<TimeSpan>(), Arg.Any<TimeSpan>(), Arg.Any<string?>(), Arg.Any<IProgress<double>>(), Arg.Any<CancellationToken>())
            .Returns(async call =>
            {
                Interlocked.Increment(ref started);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), call.Arg<CancellationToken>());
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                    throw;
                }

                return Heard("never");
            });

        var failure = await Assert.ThrowsAsync<MediaProcessingException>(() =>
            Transcriber(parallel: 3).TranscribeAsync(_engine, "audio.wav", TimeSpan.FromSeconds(90), null, _scratch.FullName, new Recorder(_progress), CancellationToken.None));

        Assert.Equal("engine.failed", failure.Code);
        Assert.InRange(started, 1, 2);
        Assert.Equal(started, cancelled); // every part still decoding was stopped, none left running

    }

    [Fact]
    public async Task The_parts_are_planned_on_the_audios_real_length_not_the_containers_claim()
    {
        IReadOnlyList<AudioSpan>? planned = null;
        _chunker.SplitAsync("audio.wav", Arg.Do<IReadOnlyList<AudioSpan>>(s => planned = s), Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<IReadOnlyList<AudioSpan>>().Select((_, i) => Path.Combine(call.ArgAt<string>(2), $"part-{i}.wav")).ToList());
        _engine.TranscribeAsync(Arg.Any<string>(), Arg.Any<TimeSpan>(), Arg.Any<TimeSpan>(), Arg.Any<string?>(), Arg.Any<IProgress<double>>(), Arg.Any<CancellationToken>())
            .Returns(call => Heard(Path.GetFileNameWithoutExtension(call.ArgAt<string>(0))));

        // The container claimed 300 s; the sound track has 90.
        await Transcriber(parallel: 2).TranscribeAsync(_engine, "audio.wav", TimeSpan.FromSeconds(300), null, _scratch.FullName, new Recorder(_progress), CancellationToken.None);

        Assert.Equal(90, planned![^1].End);
        Assert.Equal(3, planned.Count);
    }

    [Fact]
    public async Task A_recording_that_fits_one_part_is_decoded_whole_without_splitting()
    {
        _engine.TranscribeAsync("audio.wav", Arg.Any<TimeSpan>(), Arg.Any<TimeSpan>(), Arg.Any<string?>(), Arg.Any<IProgress<double>>(), Arg.Any<CancellationToken>()).Returns(Heard("whole"));

        var transcript = await Transcriber(parallel: 4).TranscribeAsync(_engine, "audio.wav", TimeSpan.FromSeconds(35), null, _scratch.FullName, new Recorder(_progress), CancellationToken.None);

        Assert.Equal("whole", transcript.Segments.Single().Text);
        await _chunker.DidNotReceiveWithAnyArgs().FindSilencesAsync(default!, default);
    }

    [Fact]
    public async Task A_long_recording_of_a_job_with_a_custom_vocabulary_is_queued_for_every_worker()
    {
        // Its parts were once kept in the job's worker: queued parts did not carry the vocabulary then (they do now).
        var blobs = Substitute.For<IBlobStore>();
        var queue = Substitute.For<IJobPartQueue>();
        var enqueued = new List<PartPlan>();
        _chunker.SplitAsync("audio.wav", Arg.Any<IReadOnlyList<AudioSpan>>(), Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<IReadOnlyList<AudioSpan>>().Select((_, i) =>
            {
                var path = Path.Combine(call.ArgAt<string>(2), $"part-{i}.wav");
                File.WriteAllBytes(path, [0]);
                return path;
            }).ToList());
        blobs.SaveAsync(Arg.Any<Stream>(), Arg.Any<long>(), Arg.Any<CancellationToken>())
            .Returns(_ => Result.Success(new StoredBlob($"parts/{Guid.NewGuid()}", 1, "sha")));
        queue.When(q => q.EnqueueAsync(Arg.Any<JobId>(), Arg.Any<TenantId>(), Arg.Any<string>(), Arg.Any<string?>(), Arg.Any<IReadOnlyList<PartPlan>>(), Arg.Any<CancellationToken>()))
            .Do(call => enqueued.AddRange(call.Arg<IReadOnlyList<PartPlan>>()));
        queue.ListAsync(Arg.Any<JobId>(), Arg.Any<CancellationToken>())
            .Returns(_ => enqueued.Select(p => new PartState(p.Index, p.Keep, p.DecodeFrom, p.BlobKey, PartStatus.Done, 1, 1, false, null, null)).ToList());
        queue.TranscriptsAsync(Arg.Any<JobId>(), Arg.Any<CancellationToken>())
            .Returns(_ => enqueued.ToDictionary(p => p.Index, p => Heard($"part-{p.Index}")));
        var queued = new QueuedPartsTranscriber(_chunker, blobs, queue, TimeProvider.System, NullLogger<QueuedPartsTranscriber>.Instance);
        var job = Job.Submit(MediaAssetId.New(), JobKind.Transcription, new JobOptions(null, null, null, vocabulary: ["Kubernetes"]), 0, DateTimeOffset.UtcNow).Value;

        var transcript = await new ChunkedTranscriber(_chunker, new ChunkingSettings(30, 1, QueueParts: true), queued)
            .TranscribeAsync(_engine, job, "audio.wav", TimeSpan.FromSeconds(90), "en", _scratch.FullName, new Recorder(_progress), CancellationToken.None);

        Assert.Equal(3, enqueued.Count);
        Assert.Equal(["part-0", "part-1", "part-2"], transcript.Segments.Select(s => s.Text));
        await _engine.DidNotReceiveWithAnyArgs().TranscribeAsync(default!, default, default, default, default!, default);
    }

    private ChunkedTranscriber Transcriber(int parallel) => new(_chunker, new ChunkingSettings(30, parallel));

    private static EngineTranscript Heard(string text) =>
        new([new Segment(4, 5, text, 0.9, [new Word(text, 4, 5, 0.9)])], "model", "en");

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private sealed class Recorder(List<double> values) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (values)
            {
                values.Add(value);
            }
        }
    }
}
