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
    private volatile bool _measured;

    /// <summary>How far the database's clock is ahead of this host's (negative when behind).</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Volatile.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => host.GetUtcNow() + Offset;

    /// <summary>
    /// Measures the offset unless that was done already: a worker or the reaper calls it before its first lease
    /// arithmetic, so a host with a wrong clock never claims or reaps on it (during an outage this throws, like the
    /// claim would).
    /// </summary>
    public Task EnsureMeasuredAsync(CancellationToken cancellationToken) => _measured ? Task.CompletedTask : SynchronizeAsync(cancellationToken);

    public override long GetTimestamp() => host.GetTimestamp();

    public override long TimestampFrequency => host.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        host.CreateTimer(callback, state, dueTime, period);

    /// <summary>
    /// Measures the offset: three <c>SELECT clock_timestamp()</c> on one open connection, keeping the sample with
    /// the shortest round trip (its error is at most half of it). Opening the connection is not timed: on a cold
    /// start it can take seconds, and timing it made the offset jump by as much, enough to reap a job claimed a moment
    /// earlier under a short lease (found by the fault suite).
    /// </summary>
    public async Task SynchronizeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var best = TimeSpan.MaxValue;
        var offset = TimeSpan.Zero;
        for (var sample = 0; sample < 3; sample++)
        {
            await using var command = new NpgsqlCommand("SELECT clock_timestamp()", connection);
            var started = host.GetTimestamp();
            var sent = host.GetUtcNow();
            var database = (DateTime)(await command.ExecuteScalarAsync(cancellationToken))!;
            var roundTrip = host.GetElapsedTime(started);
            if (roundTrip < best)
            {
                best = roundTrip;
                offset = new DateTimeOffset(DateTime.SpecifyKind(database, DateTimeKind.Utc)) - (sent + (roundTrip / 2));
            }
        }

        Volatile.Write(ref _offsetTicks, offset.Ticks);
        _measured = true;

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
