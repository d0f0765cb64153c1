using MediaPlatform.Infrastructure.Queue;
using Microsoft.Extensions.Time.Testing;

namespace MediaPlatform.Infrastructure.Tests.Queue;

public sealed class ThrottledProgressTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 20, 9, 0, 0, TimeSpan.Zero));
    private readonly List<(int, string)> _writes = [];

    [Fact]
    public async Task A_pipeline_that_reports_nothing_causes_no_write()
    {
        var progress = Progress();

        await progress.FlushAsync();

        Assert.Empty(_writes);
    }

    [Fact]
    public async Task A_new_step_is_written_at_once_and_percent_changes_at_most_once_per_interval()
    {
        var progress = Progress();

        progress.Report(5, "probe");
        progress.Report(20, "transcribe");
        progress.Report(30, "transcribe");
        progress.Report(40, "transcribe");
        _time.Advance(TimeSpan.FromSeconds(1));
        progress.Report(50, "transcribe");
        progress.Report(60, "transcribe");
        await progress.FlushAsync();

        Assert.Equal([(5, "probe"), (20, "transcribe"), (50, "transcribe"), (60, "transcribe")], _writes);
    }

    private ThrottledProgress Progress() =>
        new((percent, step) =>
        {
            _writes.Add((percent, step));
            return Task.CompletedTask;
        }, TimeSpan.FromMilliseconds(500), _time);
}
