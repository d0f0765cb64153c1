using System.Net;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Api.Tests.Processing;
using MediaPlatform.TestSupport.Media;

namespace MediaPlatform.Api.Tests.Hostile;

/// <summary>
/// Files built to make the decoders misbehave: each ends in a clear job error (or an upload 4xx), nothing outside
/// the blob is read, and no scratch folder is left behind.
/// </summary>
[Collection(ProcessingCollection.Name)]
public sealed class HostileMediaTests(HostileMediaTests.ShortMediaFactory factory) : IClassFixture<HostileMediaTests.ShortMediaFactory>, IDisposable
{
    private readonly JobClient _jobs = new(factory.CreateClient());
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mp-hostile-media-");

    public void Dispose() => _work.Delete(recursive: true);

    public static TheoryData<string, string> Disguised => new()
    {
        // A concat list naming a system file and a URL.
        { "concat", "ffconcat version 1.0\nfile '/etc/passwd'\nfile 'http://127.0.0.1:1/a.wav'\n" },
        // A playlist whose segment is a real recording elsewhere on the disk.
        { "hls", $"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile://{SpeechSamples.Librivox()[0].Path}\n#EXT-X-ENDLIST\n" },
        { "hls-url", "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nhttp://127.0.0.1:1/segment.ts\n#EXT-X-ENDLIST\n" },
    };

    [Theory]
    [MemberData(nameof(Disguised))]
    public async Task A_playlist_or_file_list_disguised_as_audio_is_refused_without_reading_what_it_names(string name, string content)
    {
        var path = Path.Combine(_work.FullName, $"{name}.wav");
        await File.WriteAllTextAsync(path, content);

        var job = await _jobs.WaitUntilFinishedAsync(await _jobs.SubmitAsync(await _jobs.UploadAsync(path, "audio/wav")));

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("media.undecodable", job.GetProperty("error").GetProperty("code").GetString());
        Assert.DoesNotContain("/etc", job.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        AssertNoScratchLeft();
    }

    [Fact]
    public async Task A_file_claiming_hundreds_of_hours_fails_with_a_clear_error_before_decoding()
    {
        // A real two-second mp4 whose movie header (mvhd) claims 600 hours (at least 74 with a fine timescale): what ffprobe reports.
        var wav = SpeechSamples.Espeak(_work.FullName, "Six hundred hours, they say.");
        var mp4 = SpeechSamples.Convert(wav, Path.Combine(_work.FullName, "claims.mp4"), "-c:a", "aac");
        var bytes = await File.ReadAllBytesAsync(mp4);
        var header = bytes.AsSpan().IndexOf("mvhd"u8) + 4; // version byte; version 0 has 32-bit fields
        var timescale = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(header + 12));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(header + 16), (uint)Math.Min(uint.MaxValue, timescale * 600L * 3600));
        var path = Path.Combine(_work.FullName, "long.mp4");
        await File.WriteAllBytesAsync(path, bytes);

        var job = await _jobs.WaitUntilFinishedAsync(await _jobs.SubmitAsync(await _jobs.UploadAsync(path, "video/mp4")));

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("media.too_long", job.GetProperty("error").GetProperty("code").GetString());
        AssertNoScratchLeft();
    }

    [Fact]
    public async Task A_zero_byte_file_and_a_truncated_mp4_fail_clearly()
    {
        var wav = SpeechSamples.Espeak(_work.FullName, "A short sentence.");
        var mp4 = SpeechSamples.Convert(wav, Path.Combine(_work.FullName, "speech.mp4"), "-c:a", "aac");
        var truncated = Path.Combine(_work.FullName, "truncated.mp4");
        var full = await File.ReadAllBytesAsync(mp4);
        await File.WriteAllBytesAsync(truncated, full[..(full.Length / 3)]);

        // The empty file is refused as it is uploaded; the truncated one fails its job, for good, naming the media.
        var empty = await factory.CreateClient().PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload([], "empty.wav", "audio/wav"));
        var job = await _jobs.WaitUntilFinishedAsync(await _jobs.SubmitAsync(await _jobs.UploadAsync(truncated, "video/mp4")));

        Assert.Equal("media.empty", (await empty.AssertProblemAsync(HttpStatusCode.BadRequest)).GetProperty("code").GetString());
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.StartsWith("media.", job.GetProperty("error").GetProperty("code").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, job.GetProperty("attempts").GetInt32()); // permanent: not retried
        AssertNoScratchLeft();
    }

    private void AssertNoScratchLeft() =>
        Assert.Empty(Directory.Exists(factory.ScratchPath) ? Directory.GetFileSystemEntries(factory.ScratchPath) : []);

    /// <summary>The service with workers and a cap of one hour of media.</summary>
    public sealed class ShortMediaFactory : ProcessingFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
            base.Settings().Append(new KeyValuePair<string, string?>("Media:MaxMediaSeconds", "3600"));
    }
}
