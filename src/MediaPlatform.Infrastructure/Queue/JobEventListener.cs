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
    /// <summary>TCP keepalive on the listening connection, so a dead peer (a failover, a cut cable) is noticed.</summary>
    private const int KeepAliveSeconds = 10;
    public const string Channel = "job_events";
    public const string PartsChannel = "job_parts";
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var outage = new OutageLog(logger, "Job event listener", time);
        // Its own connection string: keepalives, no pooling (a dead connection must not go back to a pool).
        var settings = new NpgsqlConnectionStringBuilder(PersistenceSetup.BuildConnectionString(database.Value))
        {
            KeepAlive = KeepAliveSeconds,
            TcpKeepAlive = true,
            Pooling = false,
        };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(settings.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => OnNotification(e.Channel, e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}; LISTEN {PartsChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                outage.Succeeded();
                hub.Resync();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Any failure (the server restarted, the backend was terminated, something unforeseen): reconnect.
                outage.Failed(ex);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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
