using MediaPlatform.Domain.Media;

namespace MediaPlatform.Domain.Tests.Media;

public sealed class MediaAssetTests
{
    private static readonly DateTimeOffset _now = new(2026, 1, 20, 9, 0, 0, TimeSpan.Zero);
    private const string Sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\me\\talk.mp3", "talk.mp3")]
    [InlineData("bell\u0007.wav", "bell.wav")]
    [InlineData("..", null)]
    [InlineData("   ", null)]
    public void File_names_are_reduced_to_a_safe_last_segment(string name, string? expected) =>
        Assert.Equal(expected, MediaAsset.SanitizeFileName(name));

    [Fact]
    public void An_upload_is_stored_with_its_size_and_hash()
    {
        var media = MediaAsset.FromUpload("a.wav", "audio/wav", "k/1", 10, Sha, _now).Value;

        Assert.Equal(MediaStatus.Stored, media.Status);
        Assert.Equal(MediaSource.Upload, media.Source);
        Assert.Equal(10, media.SizeBytes);
    }

    [Fact]
    public void An_empty_upload_is_refused() =>
        Assert.Equal("media.empty", MediaAsset.FromUpload("a.wav", "audio/wav", "k/1", 0, Sha, _now).Error?.Code);

    [Theory]
    [InlineData("ABCDEF")]
    [InlineData("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08")]
    public void A_malformed_hash_is_refused(string sha) =>
        Assert.Equal("media.sha256_invalid", MediaAsset.FromUpload("a.wav", "audio/wav", "k", 1, sha, _now).Error?.Code);

    [Theory]
    [InlineData("ftp://example.org/a.mp3")]
    [InlineData("file:///etc/passwd")]
    public void Only_http_and_https_urls_are_registered(string url) =>
        Assert.Equal("media.url_scheme", MediaAsset.FromUrl(new Uri(url), _now).Error?.Code);

    [Fact]
    public void Probing_media_with_audio_makes_it_ready()
    {
        var media = MediaAsset.FromUpload("a.mp4", "video/mp4", "k", 1, Sha, _now).Value;

        media.RecordProbe(new MediaStreamFacts(TimeSpan.FromSeconds(3), "aac", "h264", 2, 48000), _now);

        Assert.Equal(MediaStatus.Ready, media.Status);
        Assert.True(media.HasAudio);
        Assert.True(media.HasVideo);
    }

    [Fact]
    public void Video_without_audio_is_rejected_with_a_reason()
    {
        var media = MediaAsset.FromUpload("a.mp4", "video/mp4", "k", 1, Sha, _now).Value;

        media.RecordProbe(new MediaStreamFacts(TimeSpan.FromSeconds(3), null, "h264", null, null), _now);

        Assert.Equal(MediaStatus.Rejected, media.Status);
        Assert.Contains("no audio", media.RejectionReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_media_cannot_be_probed_before_its_bytes_are_stored()
    {
        var media = MediaAsset.FromUrl(new Uri("https://example.org/a.mp3"), _now).Value;

        Assert.Equal("media.invalid_transition", media.RecordProbe(new MediaStreamFacts(TimeSpan.Zero, "mp3", null, 1, 16000), _now).Error?.Code);
        Assert.True(media.MarkStored("audio/mpeg", "k", 5, Sha, _now).IsSuccess);
        Assert.Equal(MediaStatus.Stored, media.Status);
    }
}
