using MediaPlatform.Application.Processing;

namespace MediaPlatform.Application.Tests.Processing;

public sealed class RetryPolicyTests
{
    private static readonly RetryPolicy _policy = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60));

    [Theory]
    [InlineData(1, 2.5, 5)]
    [InlineData(2, 5, 10)]
    [InlineData(3, 10, 20)]
    [InlineData(10, 30, 60)]
    public void Delays_double_per_attempt_with_jitter_and_a_cap(int attempt, double min, double max)
    {
        var random = new Random(42);
        var delays = Enumerable.Range(0, 200).Select(_ => _policy.DelayAfter(attempt, random).TotalSeconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, min, max));
        Assert.True(delays.Distinct().Count() > 100, "jitter should spread the delays");
    }
}
