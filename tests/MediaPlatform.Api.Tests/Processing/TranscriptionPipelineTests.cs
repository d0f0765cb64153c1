using System.Text.Json;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Application.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using MediaPlatform.TestSupport.Media;

namespace MediaPlatform.Api.Tests.Processing;

[Collection(ProcessingCollection.Name)]
public sealed class TranscriptionPipelineTests(ProcessingFactory factory) : IClassFixture<ProcessingFactory>, IDisposable
{
    /// <summary>
    /// Issue 16's goal. Measured through the platform on these five recordings: 28.2 % (20 errors in 71 words) since
    /// each recording starts from its own cepstral mean (docs/adr/0023); 35.2 % before, as bare pocketsphinx_continuous
    /// after resampling (36.6 % on the raw files); 26.8 % (19 errors) since the search has no second pass (docs/adr/0032).
    /// The bound stays the issue's goal.
    /// </summary>
    private const double MaxWordErrorRate = 0.317;

    private readonly JobClient _jobs = new(factory.CreateClient());
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mp-media-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task Librivox_recordings_are_transcribed_below_the_measured_word_error_rate_with_all_four_analyses()
    {
        var samples = SpeechSamples.Librivox();
        var jobs = new List<(Guid Job, string Reference)>();
        foreach (var (path, reference) in samples)
        {
            jobs.Add((await _jobs.SubmitAsync(await _jobs.UploadAsync(path, "audio/wav")), reference));
        }

        int errors = 0, words = 0;
        foreach (var (job, reference) in jobs)
        {
            var finished = await _jobs.WaitUntilFinishedAsync(job);
            Assert.Equal("succeeded", finished.GetProperty("status").GetString());
            Assert.Equal(100, finished.GetProperty("progress").GetInt32());

            var transcription = await _jobs.GetAsync($"/api/v1/jobs/{job}/transcription");
            var media = await _jobs.GetAsync($"/api/v1/media/{finished.GetProperty("mediaId").GetGuid()}");
            AssertSegmentsAreOrderedWithin(transcription, media.GetProperty("durationSeconds").GetDouble());
            var (e, n) = SpeechSamples.WordErrors(reference, transcription.GetProperty("text").GetString()!);
            errors += e;
            words += n;

            var analyses = await _jobs.GetAsync($"/api/v1/jobs/{job}/analyses");
            Assert.Equal(["keywords", "sentiment", "speechStatistics", "summary"], analyses.EnumerateArray().Select(a => a.GetProperty("kind").GetString()).Order());
        }

        var rate = (double)errors / words;
        Assert.True(rate <= MaxWordErrorRate, $"word error rate {rate:P1} ({errors}/{words}) is above {MaxWordErrorRate:P1}");
    }

    [Fact]
    public async Task A_long_recording_decoded_in_parallel_parts_is_as_accurate_as_the_bare_engine_on_the_whole_file()
    {
        // About 90 s: three parts of about 30 s, decoded two at a time on this machine.
        var wav = SpeechSamples.LongRecording(_work.FullName, repeats: 3);
        var reference = SpeechSamples.LongRecordingReference(3);

        var job = await _jobs.WaitUntilFinishedAsync(await _jobs.SubmitAsync(await _jobs.UploadAsync(wav, "audio/wav")), TimeSpan.FromSeconds(240));

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var transcription = await _jobs.GetAsync($"/api/v1/jobs/{job.GetProperty("id").GetGuid()}/transcription");
        var media = await _jobs.GetAsync($"/api/v1/media/{job.GetProperty("mediaId").GetGuid()}");
        AssertSegmentsAreOrderedWithin(transcription, media.GetProperty("durationSeconds").GetDouble());
        var segments = transcription.GetProperty("segments").EnumerateArray().ToList();
        Assert.Contains(segments, s => s.GetProperty("start").GetDouble() > 60); // the last part's words sit at their place
        // The bare engine, whole, on the very audio the platform decoded (its extractor's output), so the comparison
        // isolates what cutting costs; the bare engine on the original file is reported beside it.
        var extracted = Path.Combine(_work.FullName, "extracted.wav");
        await factory.Services.GetRequiredService<IAudioExtractor>().ExtractAsync(wav, extracted);
        var (chunked, words) = SpeechSamples.WordErrors(reference, transcription.GetProperty("text").GetString()!);
        var (whole, _) = SpeechSamples.WordErrors(reference, SpeechSamples.BarePocketSphinx(extracted));
        var (original, _) = SpeechSamples.WordErrors(reference, SpeechSamples.BarePocketSphinx(wav));
        Assert.True(chunked <= whole, $"chunked: {chunked} errors in {words} words; bare engine on the same audio, whole: {whole}; on the original file: {original}");
    }

    [Theory]
    [InlineData("mp3", "audio/mpeg")]
    [InlineData("ogg", "audio/ogg")]
    [InlineData("mp4", "video/mp4")]
    public async Task Synthesised_speech_in_other_containers_and_video_is_transcribed(string format, string contentType)
    {
        var wav = SpeechSamples.Espeak(_work.FullName, "Hello and welcome. Today we talk about the weather and the ocean.");
        var path = format switch
        {
            "mp3" => SpeechSamples.Convert(wav, Path.Combine(_work.FullName, "speech.mp3"), "-c:a", "libmp3lame", "-b:a", "64k"),
            "ogg" => SpeechSamples.Convert(wav, Path.Combine(_work.FullName, "speech.ogg"), "-c:a", "libvorbis"),
            _ => SpeechSamples.VideoWithAudio(wav, Path.Combine(_work.FullName, "speech.mp4")),
        };

        var mediaId = await _jobs.UploadAsync(path, contentType);
        var job = await _jobs.WaitUntilFinishedAsync(await _jobs.SubmitAsync(mediaId));

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var media = await _jobs.GetAsync($"/api/v1/media/{mediaId}");
        Assert.Equal("ready", media.GetProperty("status").GetString());
        Assert.True(media.GetProperty("hasAudio").GetBoolean());
        Assert.Equal(format == "mp4", media.GetProperty("hasVideo").GetBoolean());
        Assert.InRange(media.GetProperty("durationSeconds").GetDouble(), 2, 10);
        var transcription = await _jobs.GetAsync($"/api/v1/jobs/{job.GetProperty("id").GetGuid()}/transcription");
        Assert.True(transcription.GetProperty("wordCount").GetInt32() > 0, transcription.GetRawText());
        AssertSegmentsAreOrderedWithin(transcription, media.GetProperty("durationSeconds").GetDouble());
    }

    [Fact]
    public async Task A_corrupt_file_fails_with_a_clear_error_and_the_media_is_rejected()
    {
        var path = Path.Combine(_work.FullName, "broken.mp3");
        await File.WriteAllBytesAsync(path, [.. Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7919 % 251))]);
        var mediaId = await _jobs.UploadAsync(path, "audio/mpeg");

        var job = await _jobs.WaitUntilFinishedAsync(await _jobs.SubmitAsync(mediaId));

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("media.undecodable", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("could not be read as audio or video", job.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.Equal("rejected", (await _jobs.GetAsync($"/api/v1/media/{mediaId}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_video_without_audio_fails_with_a_clear_error()
    {
        var mediaId = await _jobs.UploadAsync(SpeechSamples.SilentVideo(Path.Combine(_work.FullName, "silent.mp4")), "video/mp4");

        var job = await _jobs.WaitUntilFinishedAsync(await _jobs.SubmitAsync(mediaId));

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("media.no_audio", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("no audio stream", job.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        var media = await _jobs.GetAsync($"/api/v1/media/{mediaId}");
        Assert.True(media.GetProperty("hasVideo").GetBoolean());
        Assert.False(media.GetProperty("hasAudio").GetBoolean());
    }

    [Fact]
    public async Task An_analysis_job_reanalyses_the_latest_transcription_of_the_media()
    {
        var (path, _) = SpeechSamples.Librivox()[1];
        var mediaId = await _jobs.UploadAsync(path, "audio/wav");
        await _jobs.WaitUntilFinishedAsync(await _jobs.SubmitAsync(mediaId, new { analyses = Array.Empty<string>() }));

        var analysis = await _jobs.WaitUntilFinishedAsync(await _jobs.SubmitAsync(mediaId, new { kind = "analysis", analyses = new[] { "speechStatistics" } }));

        Assert.Equal("succeeded", analysis.GetProperty("status").GetString());
        var result = Assert.Single((await _jobs.GetAsync($"/api/v1/jobs/{analysis.GetProperty("id").GetGuid()}/analyses")).EnumerateArray());
        Assert.True(result.GetProperty("payload").GetProperty("wordCount").GetInt32() > 0);
    }

    private static void AssertSegmentsAreOrderedWithin(JsonElement transcription, double duration)
    {
        var previousEnd = 0.0;
        var segments = transcription.GetProperty("segments").EnumerateArray().ToList();
        Assert.NotEmpty(segments);
        foreach (var segment in segments)
        {
            var start = segment.GetProperty("start").GetDouble();
            var end = segment.GetProperty("end").GetDouble();
            Assert.True(start >= previousEnd && end >= start && end <= duration + 0.05, $"segment {start}-{end} after {previousEnd} in {duration} s");
            foreach (var word in segment.GetProperty("words").EnumerateArray())
            {
                Assert.InRange(word.GetProperty("confidence").GetDouble(), 0, 1);
                Assert.InRange(word.GetProperty("start").GetDouble(), 0, duration + 0.05);
            }

            previousEnd = end;
        }
    }
}
