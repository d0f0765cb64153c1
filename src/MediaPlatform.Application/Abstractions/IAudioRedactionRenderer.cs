using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Abstractions;

/// <summary>Writes a media file's audio with every given span replaced by a tone, the same length as the original.</summary>
public interface IAudioRedactionRenderer
{
    Task RenderAsync(string inputPath, IReadOnlyList<RedactedSpan> spans, string outputWavPath, CancellationToken cancellationToken = default);
}
