using System.Security.Cryptography;
using System.Text;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Media;

namespace MediaPlatform.TestSupport.Builders;

/// <summary>Valid aggregates for tests that need one and care about few of its fields.</summary>
public static class TestData
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 20, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A subscription to every event (the webhook outbox writes rows only for events someone subscribes to).</summary>
    public static Domain.Webhooks.WebhookSubscription EverythingSubscription(DateTimeOffset? now = null) =>
        Domain.Webhooks.WebhookSubscription.Create("https://hooks.example.com/mediaplatform", ["*"], null, "whsec_" + Convert.ToBase64String(new byte[32]), now ?? Epoch).Value;

    public static MediaAsset UploadedMedia(DateTimeOffset? now = null, string fileName = "speech.wav")
    {
        var key = $"blobs/{Guid.NewGuid():N}";
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return MediaAsset.FromUpload(fileName, "audio/wav", key, 1024, sha, now ?? Epoch).Value;
    }

    public static Job QueuedJob(MediaAsset media, DateTimeOffset? now = null, int priority = Job.DefaultPriority, JobKind kind = JobKind.Transcription) =>
        Job.Submit(media.Id, kind, JobOptions.Default, priority, now ?? Epoch).Value;
}
