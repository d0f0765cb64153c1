namespace MediaPlatform.Domain.Media;

/// <summary>What probing the media found out about its streams.</summary>
public sealed record MediaStreamFacts(
    TimeSpan Duration,
    string? AudioCodec,
    string? VideoCodec,
    int? Channels,
    int? SampleRate)
{
    public bool HasAudio => AudioCodec is not null;

    public bool HasVideo => VideoCodec is not null;
}
