using MediaPlatform.Domain.Jobs;

namespace MediaPlatform.Application.Abstractions;

/// <summary>
/// Finds who spoke when in a 16 kHz mono WAV, within the given speech (the recognised words' times): speaker turns
/// labelled <c>S1</c>, <c>S2</c>... in order of first appearance. The offline implementation clusters MFCC windows;
/// an operator could put a diarization server behind this port instead.
/// </summary>
public interface IDiarizer
{
    Task<IReadOnlyList<SpeakerTurn>> DiarizeAsync(
        string wavPath, IReadOnlyList<(double Start, double End)> speech, SpeakerLabels speakers, CancellationToken cancellationToken = default);
}
