using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Transcriptions.Redaction;

/// <summary>The transcript with its PII replaced, and where each replaced entity was said.</summary>
public sealed record RedactedTranscript(IReadOnlyList<Segment> Segments, IReadOnlyList<RedactedSpan> Spans);

/// <summary>Finds personal information in a transcript, in written and spoken forms, and replaces it.</summary>
public interface IPiiRedactor
{
    RedactedTranscript Redact(IReadOnlyList<Segment> segments, PiiRedaction redaction);
}
