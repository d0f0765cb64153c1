using System.Net;
using System.Text.Json;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Api.Tests.Processing;
using MediaPlatform.TestSupport.Media;
using Npgsql;

namespace MediaPlatform.Api.Tests.Webhooks;

/// <summary>The API in process without a dispatcher of its own: only the worker processes started by the test send deliveries.</summary>
public sealed class WebhookWithoutDispatchFactory : ApiFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        WebhookApiFactory.WebhookSettings.Append(new("Webhooks:Dispatch", "false"));
}

/// <summary>At least once through a crash: the outbox keeps every event while the receiver is down and the sender is killed.</summary>
[Collection(ProcessingCollection.Name)]
public sealed class WebhookCrashTests(WebhookWithoutDispatchFactory factory) : IClassFixture<WebhookWithoutDispatchFactory>
{
    /// <summary>A worker process that sends deliveries only (it claims no jobs), retrying every <paramref name="retrySeconds"/>.</summary>
    private static Dictionary<string, string?> Sender(double retrySeconds) => new()
    {
        ["Queue:WorkerCount"] = "0",
        ["Webhooks:AllowPrivateUrls"] = "true",
        ["Webhooks:PollMilliseconds"] = "100",
        ["Webhooks:RetryBaseSeconds"] = retrySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Webhooks:RetryMaxSeconds"] = retrySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Events_for_a_receiver_that_is_down_while_their_sender_is_killed_all_arrive_once_it_is_back()
    {
        var client = factory.CreateClient();
        var url = WebhookReceiver.UnusedUrl();
        var (subscription, _) = await WebhookApi.CreateAsync(client, url, "job.cancelled");
        var jobs = new JobClient(client);
        var media = await jobs.UploadAsync(SpeechSamples.Librivox()[0].Path, "audio/wav");
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var jobId = await jobs.SubmitAsync(media);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(new Uri($"/api/v1/jobs/{jobId}/cancel", UriKind.Relative), null)).StatusCode);
            ids.Add(jobId);
        }

        // The first sender tries each event once (the receiver refuses connections), schedules the next try 5 s later,
        // and is killed with SIGKILL between tries.
        using (var doomed = WorkerProcess.Start(factory.ConnectionString, factory.BlobRoot, leaseSeconds: 30, settings: Sender(5)))
        {
            await WaitForAsync(subscription, "count(*) FILTER (WHERE attempts >= 1 AND locked_until IS NULL AND status = 'pending') = 5");
            doomed.KillHard();
        }

        using var receiver = WebhookReceiver.At(url);
        using var survivor = WorkerProcess.Start(factory.ConnectionString, factory.BlobRoot, leaseSeconds: 30, settings: Sender(0.2));
        var received = await receiver.WaitForAsync(5, TimeSpan.FromSeconds(30));
        await WaitForAsync(subscription, "count(*) FILTER (WHERE status = 'delivered') = 5");

        Assert.True(ids.ToHashSet().SetEquals(received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("id").GetGuid())));
        Assert.Equal(5, received.Select(r => r.Headers["webhook-id"]).Distinct().Count());
    }

    /// <summary>Waits (30 s at most) until <paramref name="condition"/> over the subscription's deliveries holds.</summary>
    private async Task WaitForAsync(Guid subscription, string condition)
    {
        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var command = new NpgsqlCommand($"SELECT {condition} FROM webhook_delivery WHERE subscription_id = $1", connection) { Parameters = { new() { Value = subscription } } };
            if ((bool)(await command.ExecuteScalarAsync())!)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Deliveries never reached: {condition}");
            await Task.Delay(50);
        }
    }
}
