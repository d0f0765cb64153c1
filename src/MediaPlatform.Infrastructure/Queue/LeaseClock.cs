using MediaPlatform.Infrastructure.Reliability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// The clock leases are measured with: the database's. Every worker, on any host, stamps claims, renewals, retry
/// times and reaps with this host's clock corrected by its measured offset from PostgreSQL's <c>clock_timestamp()</c>
/// (re-measured every 30 s, half the round trip allowed for), so a host whose clock runs minutes ahead cannot reap
/// the healthy jobs of others, and one behind cannot hold a dead worker's jobs past their lease. Reading
/// <c>now()</c> in every statement would cost a round trip per heartbeat; the offset costs one every 30 s.
/// </summary>
internal sealed partial class LeaseClock(NpgsqlDataSource dataSource, TimeProvider host, ILogger<LeaseClock> logger) : TimeProvider
{
    private static readonly TimeSpan NotableSkew = TimeSpan.FromSeconds(1);
    private long _offsetTicks;
    private bool _skewReported;

    /// <summary>How far the database's clock is ahead of this host's (negative when behind).</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Volatile.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => host.GetUtcNow() + Offset;

    public override long GetTimestamp() => host.GetTimestamp();

    public override long TimestampFrequency => host.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        host.CreateTimer(callback, state, dueTime, period);

    /// <summary>Measures the offset once: one <c>SELECT clock_timestamp()</c>.</summary>
    public async Task SynchronizeAsync(CancellationToken cancellationToken)
    {
        var started = host.GetTimestamp();
        var sent = host.GetUtcNow();
        await using var command = dataSource.CreateCommand("SELECT clock_timestamp()");
        var database = (DateTime)(await command.ExecuteScalarAsync(cancellationToken))!;
        var roundTrip = host.GetElapsedTime(started);
        var offset = new DateTimeOffset(DateTime.SpecifyKind(database, DateTimeKind.Utc)) - (sent + (roundTrip / 2));
        Volatile.Write(ref _offsetTicks, offset.Ticks);

        var notable = offset.Duration() > NotableSkew;
        if (notable != _skewReported)
        {
            _skewReported = notable;
            if (notable)
            {
                LogSkew(logger, offset.TotalSeconds);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "This host's clock is {Seconds:0.###} s off the database's; leases are measured with the database's clock")]
    private static partial void LogSkew(ILogger logger, double seconds);
}

/// <summary>Keeps <see cref="LeaseClock"/> measured: at start, then every 30 s, through outages (it keeps the last offset).</summary>
internal sealed class LeaseClockService(LeaseClock clock, TimeProvider time, ILogger<LeaseClockService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicLoop.RunAsync(TimeSpan.FromSeconds(30), runAtStart: true, new OutageLog(logger, "Lease clock", time), time, clock.SynchronizeAsync, stoppingToken);
}
