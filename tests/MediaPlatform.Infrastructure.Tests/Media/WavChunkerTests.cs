using System.Diagnostics;
using MediaPlatform.Application.Processing.Chunking;
using MediaPlatform.Infrastructure.Media;
using MediaPlatform.Infrastructure.Transcriptions;
using MediaPlatform.TestSupport.Media;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Tests.Media;

/// <summary>Silences and parts of real speech: the librivox recordings joined with a second of silence between them.</summary>
public sealed class WavChunkerTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mp-chunker-");
    private readonly WavChunker _chunker = new(Options.Create(new TranscriptionOptions()));

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task The_silences_between_recordings_are_found_where_they_were_put()
    {
        var wav = SpeechSamples.LongRecording(_work.FullName, repeats: 1);
        var gaps = Gaps();

        var map = await _chunker.FindSilencesAsync(wav);
        var silences = map.Silences;
        Assert.Equal(Duration(wav), map.Seconds, 2);

        foreach (var gap in gaps)
        {
            Assert.Contains(silences, s => s.Start <= gap.Start + 0.05 && s.End >= gap.End - 0.05);
        }

        // Speech is not silence: most of the recording is outside the silences found.
        Assert.True(silences.Sum(s => s.Duration) < 0.6 * Duration(wav), $"{silences.Sum(s => s.Duration)} s of {Duration(wav)} s called silence");
    }

    [Fact]
    public async Task The_parts_put_back_together_are_the_recording_byte_for_byte()
    {
        var wav = SpeechSamples.LongRecording(_work.FullName, repeats: 2);
        var duration = Duration(wav);
        var spans = ChunkPlanner.Plan(duration, (await _chunker.FindSilencesAsync(wav)).Silences, 12);
        var folder = Directory.CreateDirectory(Path.Combine(_work.FullName, "parts")).FullName;

        var parts = await _chunker.SplitAsync(wav, spans, folder);

        Assert.Equal(spans.Count, parts.Count);
        Assert.True(parts.Count >= 4);
        var original = await File.ReadAllBytesAsync(wav);
        var joined = parts.SelectMany(p => File.ReadAllBytes(p)[44..]).ToArray();
        Assert.Equal(original[^joined.Length..], joined);
        for (var i = 0; i < parts.Count; i++)
        {
            Assert.Equal(spans[i].Duration, Duration(parts[i]), 2); // ffprobe reads each part's own header
        }
    }

    [Fact]
    public async Task A_file_that_is_not_a_wav_is_a_clear_processing_error()
    {
        var path = Path.Combine(_work.FullName, "not.wav");
        await File.WriteAllTextAsync(path, "#EXTM3U\nhttp://example.com/a.wav\n");

        var error = await Assert.ThrowsAsync<Application.Processing.MediaProcessingException>(() => _chunker.FindSilencesAsync(path));

        Assert.Equal("media.extract_failed", error.Code);
    }

    /// <summary>Where LongRecording put its one-second silences: after each recording.</summary>
    private static List<AudioSpan> Gaps()
    {
        var gaps = new List<AudioSpan>();
        var at = 0.0;
        foreach (var (path, _) in SpeechSamples.Librivox())
        {
            at += Duration(path);
            gaps.Add(new AudioSpan(at, at + 1));
            at += 1;
        }

        return gaps;
    }

    private static double Duration(string path)
    {
        using var probe = Process.Start(new ProcessStartInfo("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path]) { RedirectStandardOutput = true })!;
        var output = probe.StandardOutput.ReadToEnd();
        probe.WaitForExit();
        return double.Parse(output, System.Globalization.CultureInfo.InvariantCulture);
    }
}
