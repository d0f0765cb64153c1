using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Processing.Chunking;

/// <summary>A part as decoded: the audio it answers for (<see cref="Keep"/>), where its decoded audio began (a few seconds earlier than that, so the engine's normalisation settles on audio another part answers for), and what the engine heard.</summary>
public sealed record DecodedPart(AudioSpan Keep, double DecodedFrom, EngineTranscript Transcript);

/// <summary>
/// Joins the transcripts of contiguous parts into one. Every word is moved by where its part's audio began, and kept
/// by the one part whose span holds its middle, so a word heard twice (in a part's lead-in and at the end of the part
/// before) is kept once and none is lost; times stay inside the keeping part (an engine may round an end a little
/// past its audio), to the millisecond, in the parts' order.
/// </summary>
public static class TranscriptMerger
{
    public static EngineTranscript Merge(IReadOnlyList<DecodedPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("There is nothing to merge.", nameof(parts));
        }

        var segments = new List<Segment>();
        foreach (var part in parts)
        {
            foreach (var segment in part.Transcript.Segments)
            {
                if (segment.Words.Count == 0)
                {
                    if (Owns(part, part.DecodedFrom + ((segment.Start + segment.End) / 2)))
                    {
                        segments.Add(segment with { Start = Place(segment.Start, part), End = Place(segment.End, part) });
                    }

                    continue;
                }

                var words = segment.Words
                    .Where(w => Owns(part, part.DecodedFrom + ((w.Start + w.End) / 2)))
                    .Select(w => w with { Start = Place(w.Start, part), End = Place(w.End, part) })
                    .ToList();
                if (words.Count == 0)
                {
                    continue; // heard in the lead-in: the part before answers for it
                }

                segments.Add(words.Count == segment.Words.Count
                    ? segment with { Start = Math.Min(Place(segment.Start, part), words[0].Start), End = Math.Max(Place(segment.End, part), words[^1].End), Words = words }
                    : segment with { Start = words[0].Start, End = Math.Max(Place(segment.End, part), words[^1].End), Text = string.Join(' ', words.Select(w => w.Text)), Words = words });
            }
        }

        return new EngineTranscript(segments, parts[0].Transcript.Model, parts[0].Transcript.Language);
    }

    // Only the lead-in is given up: what an engine places past the end of its audio is still its own.
    private static bool Owns(DecodedPart part, double middle) => middle >= part.Keep.Start;

    private static double Place(double seconds, DecodedPart part) =>
        Math.Round(Math.Clamp(part.DecodedFrom + Math.Max(seconds, 0), part.Keep.Start, part.Keep.End), 3);
}
