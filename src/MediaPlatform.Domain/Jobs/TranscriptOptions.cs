namespace MediaPlatform.Domain.Jobs;

/// <summary>
/// What a transcription job keeps and hears: fillers (<see cref="Disfluencies"/>: kept when true, dropped by default,
/// as AssemblyAI does), profanity masked (<see cref="FilterProfanity"/>), and the range of the media transcribed in
/// milliseconds (<see cref="AudioStartFrom"/>, <see cref="AudioEndAt"/>; times in the transcript stay the media's).
/// </summary>
public sealed record TranscriptOptions(bool Disfluencies = false, bool FilterProfanity = false, long? AudioStartFrom = null, long? AudioEndAt = null)
{
    /// <summary>The longest media any job may address: 24 hours, in milliseconds.</summary>
    public const long MaxMilliseconds = 24L * 60 * 60 * 1000;

    public static TranscriptOptions Default { get; } = new();
}
