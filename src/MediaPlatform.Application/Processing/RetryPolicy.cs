namespace MediaPlatform.Application.Processing;

/// <summary>
/// Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): attempt n waits
/// a random time up to min(cap, base * 2^(n-1)), at least half of it so retries do not bunch at zero.
/// </summary>
public sealed record RetryPolicy(TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public TimeSpan DelayAfter(int attempt, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (random.NextDouble() * ceiling / 2));
    }
}
