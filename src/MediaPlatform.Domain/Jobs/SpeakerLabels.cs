namespace MediaPlatform.Domain.Jobs;

/// <summary>
/// Speaker diarization asked for a job (<c>speakerLabels: true</c>): the number of speakers when known
/// (<see cref="Expected"/>), else the bounds to find it within (<see cref="Min"/>, <see cref="Max"/>).
/// </summary>
public sealed record SpeakerLabels(int? Expected = null, int? Min = null, int? Max = null)
{
    public const int Limit = 10;

    /// <summary>The fewest speakers to label: the expected count, else the minimum, else 1.</summary>
    public int Fewest => Expected ?? Min ?? 1;

    /// <summary>The most speakers to label: the expected count, else the maximum, else <see cref="Limit"/>.</summary>
    public int Most => Expected ?? Max ?? Limit;
}

/// <summary>Who spoke from <paramref name="Start"/> to <paramref name="End"/> (seconds), by label (<c>S1</c>, <c>S2</c>...).</summary>
public sealed record SpeakerTurn(double Start, double End, string Speaker);
