namespace MediaPlatform.Application.Processing.Chunking;

/// <summary>A stretch of audio, in seconds from the start of the recording.</summary>
public readonly record struct AudioSpan(double Start, double End)
{
    public double Duration => End - Start;

    public double Middle => (Start + End) / 2;
}
