using System.Text.Json;
using MediaPlatform.Infrastructure.Persistence;
using MediaPlatform.Infrastructure.Reliability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// Holds one connection that LISTENs on <c>job_events</c> (fed by the <c>job_notify</c> trigger) and <c>job_parts</c>
/// (fed by <c>job_part_notify</c>: <c>job id:status</c>) and hands each notification to the <see cref="JobEventHub"/>. Reconnects after a failure and then wakes the workers, since
/// notifications sent while it was away are lost (polling covers them too).
/// </summary>
internal sealed partial class JobEventListener(IOptions<DatabaseOptions> database, JobEventHub hub, TimeProvider time, ILogger<JobEventListener> logger) : BackgroundService
{
    /// <summary>After this long without a notification the listener pings the server, so a dead peer (a failover, a cut cable) is noticed.</summary>
    private const int KeepAliveSeconds = 10;
    public const string Channel = "job_events";
    public const string PartsChannel = "job_parts";
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    /// <summary>How long one blocking wait lasts before the thread looks whether the host is stopping.</summary>
    private const int WaitMilliseconds = 500;

    /// <summary>
    /// The connection is served by a thread of its own that blocks in <see cref="NpgsqlConnection.Wait(int)"/>: a job
    /// announces itself up to three times (queued, running, done), and awaiting each notification with
    /// <c>WaitAsync</c> cost a round of thread-pool hand-offs apiece, which took more CPU than the jobs of the queue
    /// benchmark themselves (docs/adr/0025).
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var listening = Task.Factory.StartNew(() => Listen(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // A stop does not wait for the thread: once Npgsql has sent a server its first message, it waits for the answer
        // until the connection timeout whatever the token says, and a server that accepted the connection and never
        // answers held every stop that long. The thread is a background one; it ends at that timeout or with the process.
        return Task.WhenAny(listening, Task.Delay(Timeout.Infinite, stoppingToken));
    }

    private void Listen(CancellationToken stoppingToken)
    {
        var outage = new OutageLog(logger, "Job event listener", time);
        // Its own connection string: TCP keepalives, no pooling (a dead connection must not go back to a pool).
        var settings = new NpgsqlConnectionStringBuilder(PersistenceSetup.BuildConnectionString(database.Value))
        {
            TcpKeepAlive = true,
            Pooling = false,
        };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var connection = new NpgsqlConnection(settings.ConnectionString);
                // Every call that waits for the server takes the stopping token, so the thread ends with a stop wherever
                // Npgsql honours it (a stop does not wait for it either way: see ExecuteAsync).
                connection.OpenAsync(stoppingToken).GetAwaiter().GetResult();
                connection.Notification += (_, e) => OnNotification(e.Channel, e.Payload);
                using (var listen = new NpgsqlCommand($"LISTEN {Channel}; LISTEN {PartsChannel}", connection))
                {
                    listen.ExecuteNonQueryAsync(stoppingToken).GetAwaiter().GetResult();
                }

                outage.Succeeded();
                hub.Resync();
                using var ping = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = KeepAliveSeconds };
                var quietSince = Environment.TickCount64;
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (connection.Wait(WaitMilliseconds))
                    {
                        quietSince = Environment.TickCount64;
                    }
                    else if (Environment.TickCount64 - quietSince > KeepAliveSeconds * 1000L)
                    {
                        // Quiet for a while: make sure the server is still there (a dead peer fails this within the
                        // command timeout, and the loop reconnects).
                        ping.ExecuteScalarAsync(stoppingToken).GetAwaiter().GetResult();
                        quietSince = Environment.TickCount64;
                    }
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Any failure (the server restarted, the backend was terminated, something unforeseen): reconnect.
                hub.ListenerLost();
                outage.Failed(ex);
                stoppingToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(2));
            }
            catch (Exception)
            {
                // Stopping: whatever the connection threw on the way out.
                return;
            }
        }
    }

    private void OnNotification(string channel, string payload)
    {
        if (channel == PartsChannel)
        {
            var colon = payload.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && Guid.TryParse(payload.AsSpan(0, colon), out var jobId))
            {
                hub.PublishPartChange(jobId, payload[(colon + 1)..]);
            }

            return;
        }

        try
        {
            if (JsonSerializer.Deserialize<JobEvent>(payload, _json) is { } jobEvent)
            {
                hub.Publish(jobEvent);
            }
        }
        catch (JsonException ex)
        {
            LogBadPayload(logger, ex, payload);
        }
    }


    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a job_events notification that is not a job event: {Payload}")]
    private static partial void LogBadPayload(ILogger logger, Exception exception, string payload);
}
