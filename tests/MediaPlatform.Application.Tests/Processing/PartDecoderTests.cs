using System.Diagnostics.Metrics;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Telemetry;
using MediaPlatform.Application.Processing;
using MediaPlatform.Application.Processing.Chunking;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace MediaPlatform.Application.Tests.Processing;

/// <summary>Which parts a worker's run tells its engine to go on with (docs/adr/0031).</summary>
public sealed class PartDecoderTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("mp-parts-");
    private readonly IContinuingTranscriptionEngine _engine = Substitute.For<IContinuingTranscriptionEngine>();
    private readonly ITranscriptionRun _run = Substitute.For<ITranscriptionRun>();
    private readonly ITranscriptionEngineCatalog _engines = Substitute.For<ITranscriptionEngineCatalog>();
    private readonly PartDecoder _decoder;
    private readonly List<bool> _follows = [];

    public PartDecoderTests()
    {
        _engine.Name.Returns("pocketsphinx");
        _engine.StartRun().Returns(_run);
        _run.TranscribeAsync(default!, default, default, default, default, default!, default)
            .ReturnsForAnyArgs(call =>
            {
                _follows.Add(call.ArgAt<bool>(3));
                return (new EngineTranscript([], "model", "en"), call.ArgAt<bool>(3));
            });
        _engines.Find("pocketsphinx").Returns(_engine);
        var files = Substitute.For<IMediaFiles>();
        var folder = Substitute.For<IScratchFolder>();
        folder.Path.Returns(_scratch.FullName);
        files.CreateScratchFolder().Returns(folder);
        _decoder = new PartDecoder(_engines, files, Substitute.For<IBlobStore>(), new ChunkingSettings(30, 1, PartsPerRun: 3));
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    [Fact]
    public async Task Only_the_next_part_of_the_same_job_goes_on_from_the_part_before()
    {
        var job = JobId.New();
        var other = JobId.New();
        using var run = _decoder.StartRun();

        foreach (var part in new[] { Part(job, 0), Part(job, 1), Part(job, 2), Part(job, 4), Part(other, 5), Part(job, 5) })
        {
            await run.DecodeAsync(part, new Progress<double>(), CancellationToken.None);
        }

        Assert.Equal([false, true, true, false, false, false], _follows);
        Assert.Equal(2, run.Continued);
        Assert.Equal((job, 6), run.Next);
    }

    [Fact]
    public async Task A_run_goes_on_through_at_most_its_parts_per_run_then_starts_again_from_a_lead_in()
    {
        var job = JobId.New();
        using var run = _decoder.StartRun();

        for (var index = 0; index < 7; index++)
        {
            if (index == 3)
            {
                Assert.Null(run.Next); // three parts in a row: the next is not claimed to go on with
            }

            await run.DecodeAsync(Part(job, index), new Progress<double>(), CancellationToken.None);
        }

        Assert.Equal([false, true, true, false, true, true, false], _follows);
    }

    [Fact]
    public async Task A_part_after_a_failed_one_does_not_go_on_from_it_and_ending_the_run_gives_its_decoder_back()
    {
        var job = JobId.New();
        using var run = _decoder.StartRun();
        await run.DecodeAsync(Part(job, 0), new Progress<double>(), CancellationToken.None);
        _run.TranscribeAsync(default!, default, default, default, default, default!, default).ThrowsAsyncForAnyArgs(new MediaProcessingException("engine.failed", "it failed", isTransient: true));
        await Assert.ThrowsAsync<MediaProcessingException>(() => run.DecodeAsync(Part(job, 1), new Progress<double>(), CancellationToken.None));

        Assert.Null(run.Next);
        run.End();
        _run.Received(1).Dispose();
    }

    [Fact]
    public async Task A_part_that_follows_counts_its_lead_in_as_decoded_audio_unless_the_engine_went_on()
    {
        // An engine name of this test's own, so runs in other tests do not add to what is counted here.
        var name = $"metered-{Guid.NewGuid():N}";
        _engine.Name.Returns(name);
        _engines.Find(name).Returns(_engine);
        var goesOn = true;
        _run.TranscribeAsync(default!, default, default, default, default, default!, default)
            .ReturnsForAnyArgs(call => (new EngineTranscript([], "model", "en"), goesOn && call.ArgAt<bool>(3)));
        var counted = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument == PlatformTelemetry.AudioTranscribed)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            if (tags.ToArray().Any(t => t.Key == PlatformTelemetry.EngineTag && Equals(t.Value, name)))
            {
                lock (counted)
                {
                    counted.Add(value);
                }
            }
        });
        listener.Start();
        var job = JobId.New();
        using var run = _decoder.StartRun();

        await run.DecodeAsync(Part(job, 1) with { Engine = name }, new Progress<double>(), CancellationToken.None);
        await run.DecodeAsync(Part(job, 2) with { Engine = name }, new Progress<double>(), CancellationToken.None);
        goesOn = false; // as an engine that cannot go on (the program mode) answers
        await run.DecodeAsync(Part(job, 3) with { Engine = name }, new Progress<double>(), CancellationToken.None);

        Assert.Equal([33.0, 30.0, 33.0], counted); // each part is 30 s after a 3 s lead-in
    }

    private static ClaimedPart Part(JobId job, int index) =>
        new(job, TenantId.Default, index, new AudioSpan(index * 30, (index + 1) * 30), Math.Max(0, (index * 30) - 3), $"parts/{index}", "pocketsphinx", null, 1, "w");
}
