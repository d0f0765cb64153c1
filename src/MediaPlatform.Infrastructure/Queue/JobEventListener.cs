using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MediaPlatform.Infrastructure.Queue;

/// <summary>
/// Holds one connection that LISTENs on <c>job_events</c> (fed by the <c>job_notify</c> trigger) and hands each
/// notification to the <see cref="JobEventHub"/>. Reconnects after a failure and then wakes the workers, since
/// notifications sent while it was away are lost (polling covers them too).
/// </summary>
internal sealed partial class JobEventListener(NpgsqlDataSource dataSource, JobEventHub hub, ILogger<JobEventListener> logger) : BackgroundService
{
    public const string Channel = "job_events";
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                hub.SignalWork();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                LogDisconnected(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void OnNotification(string payload)
    {
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the job_events listener connection; reconnecting")]
    private static partial void LogDisconnected(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a job_events notification that is not a job event: {Payload}")]
    private static partial void LogBadPayload(ILogger logger, Exception exception, string payload);
}
