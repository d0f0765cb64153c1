using MediaPlatform.Domain.Media;

namespace MediaPlatform.Application.Abstractions;

/// <summary>Reads the streams of a media file (ffprobe).</summary>
public interface IMediaProbe
{
    /// <summary>Throws <see cref="Processing.MediaProcessingException"/> (permanent) when the file does not decode as media.</summary>
    Task<MediaStreamFacts> ProbeAsync(string path, CancellationToken cancellationToken = default);
}
