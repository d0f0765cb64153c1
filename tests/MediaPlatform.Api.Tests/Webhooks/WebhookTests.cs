using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaPlatform.Api.Tests.Access;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Api.Tests.Processing;
using MediaPlatform.TestSupport.Media;
using Microsoft.AspNetCore.Http;
using Npgsql;
using StandardWebhooks;

namespace MediaPlatform.Api.Tests.Webhooks;

/// <summary>The service with in-process workers, webhooks allowed to loopback receivers and retried quickly.</summary>
public sealed class WebhookProcessingFactory : ProcessingFactory
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => base.Settings().Concat(WebhookApiFactory.WebhookSettings);
}

/// <summary>The API without job workers (jobs stay queued until cancelled), webhooks as above.</summary>
public sealed class WebhookApiFactory : ApiFactory
{
    public static readonly Dictionary<string, string?> WebhookSettings = new()
    {
        ["Webhooks:AllowPrivateUrls"] = "true",
        ["Webhooks:PollMilliseconds"] = "100",
        ["Webhooks:RetryBaseSeconds"] = "0.2",
        ["Webhooks:RetryMaxSeconds"] = "0.5",
    };

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => WebhookSettings;
}

[Collection(ProcessingCollection.Name)]
public sealed class WebhookDeliveryTests(WebhookProcessingFactory factory) : IClassFixture<WebhookProcessingFactory>
{
    [Fact]
    public async Task A_real_jobs_events_arrive_in_order_signed_so_a_standard_webhooks_library_verifies_them()
    {
        using var receiver = new WebhookReceiver();
        var client = factory.CreateClient();
        var (id, secret) = await WebhookApi.CreateAsync(client, receiver.Url, "job.started", "job.succeeded");
        var jobs = new JobClient(client);

        var jobId = await jobs.SubmitAsync(await jobs.UploadAsync(SpeechSamples.Librivox()[2].Path, "audio/wav"));
        Assert.Equal("succeeded", (await jobs.WaitUntilFinishedAsync(jobId, TimeSpan.FromSeconds(90))).GetProperty("status").GetString());

        var received = await receiver.WaitForAsync(2, TimeSpan.FromSeconds(20));
        Assert.Equal(2, received.Count);
        var verifier = new StandardWebhook(secret);
        foreach (var request in received)
        {
            verifier.Verify(request.Body, WebhookApi.Headers(request)); // throws when the signature, id or timestamp is wrong
        }

        var bodies = received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(["job.started", "job.succeeded"], bodies.Select(b => b.GetProperty("type").GetString()));
        Assert.All(bodies, b => Assert.Equal(jobId, b.GetProperty("data").GetProperty("id").GetGuid()));
        Assert.Equal("succeeded", bodies[1].GetProperty("data").GetProperty("status").GetString());
        Assert.NotEqual(received[0].Headers["webhook-id"], received[1].Headers["webhook-id"]);

        var deliveries = await WebhookApi.DeliveriesAsync(client, id, expected: 2);
        Assert.All(deliveries, d =>
        {
            Assert.Equal("delivered", d.GetProperty("status").GetString());
            Assert.Equal(200, d.GetProperty("lastStatusCode").GetInt32());
            Assert.Equal(1, d.GetProperty("attempts").GetInt32());
        });
    }

    [Fact]
    public async Task A_slow_receiver_does_not_hold_up_the_queue()
    {
        // Every answer takes 8 s (the attempt's limit is 10 s); a job's two events go one after the other.
        using var receiver = new WebhookReceiver { Delay = TimeSpan.FromSeconds(8) };
        var client = factory.CreateClient();
        var (id, _) = await WebhookApi.CreateAsync(client, receiver.Url, "job.started", "job.succeeded");
        var jobs = new JobClient(client);
        var mediaId = await jobs.UploadAsync(SpeechSamples.Librivox()[0].Path, "audio/wav");

        var ids = new[] { await jobs.SubmitAsync(mediaId), await jobs.SubmitAsync(mediaId) };
        foreach (var jobId in ids)
        {
            Assert.Equal("succeeded", (await jobs.WaitUntilFinishedAsync(jobId, TimeSpan.FromSeconds(90))).GetProperty("status").GetString());
        }

        // Both jobs are done while their job.succeeded events still wait behind the slow job.started deliveries.
        var whenDone = (await client.JsonAsync($"/api/v1/webhooks/{id}/deliveries")).GetProperty("items").EnumerateArray()
            .Count(d => d.GetProperty("status").GetString() == "delivered");
        Assert.True(whenDone < 4, $"{whenDone} of 4 deliveries were already made when the jobs finished");
        var deliveries = await WebhookApi.DeliveriesAsync(client, id, expected: 4, status: "delivered", within: TimeSpan.FromSeconds(60));
        Assert.Equal(4, deliveries.Count(d => d.GetProperty("status").GetString() == "delivered"));
    }

    [Fact]
    public async Task Media_ready_is_announced_once_when_probing_first_finds_the_media_decodable()
    {
        using var receiver = new WebhookReceiver();
        var client = factory.CreateClient();
        var (_, secret) = await WebhookApi.CreateAsync(client, receiver.Url, "media.ready");
        var jobs = new JobClient(client);

        var mediaId = await jobs.UploadAsync(SpeechSamples.Librivox()[1].Path, "audio/wav");
        // One job after the other: the second finds the media ready and announces nothing (two at once: the next test).
        for (var i = 0; i < 2; i++)
        {
            var jobId = await jobs.SubmitAsync(mediaId);
            Assert.Equal("succeeded", (await jobs.WaitUntilFinishedAsync(jobId, TimeSpan.FromSeconds(90))).GetProperty("status").GetString());
        }

        var received = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(20));
        await Task.Delay(1000);
        var ready = Assert.Single(receiver.Requests);
        new StandardWebhook(secret).Verify(ready.Body, WebhookApi.Headers(ready));
        var body = JsonDocument.Parse(ready.Body).RootElement;
        Assert.Equal("media.ready", body.GetProperty("type").GetString());
        Assert.Equal(mediaId, body.GetProperty("data").GetProperty("id").GetGuid());
        Assert.Equal("ready", body.GetProperty("data").GetProperty("status").GetString());
        Assert.NotEmpty(received);
    }

    [Fact]
    public async Task Two_jobs_probing_the_same_new_media_at_once_both_succeed_and_it_is_announced_once()
    {
        using var receiver = new WebhookReceiver();
        var (_, client) = await Access.TenantApi.CreateTenantWithClientAsync(factory, $"probe-race-{Guid.NewGuid():N}");
        await WebhookApi.CreateAsync(client, receiver.Url, "media.ready");
        var jobs = new JobClient(client);
        var mediaId = await jobs.UploadAsync(SpeechSamples.Librivox()[1].Path, "audio/wav");

        // One request, so both are queued before either is claimed: the two workers probe the new media together.
        var batch = await (await client.PostAsJsonAsync("/api/v1/jobs/batch", new { jobs = new[] { new { mediaId }, new { mediaId } } })).ReadSuccessAsync();
        foreach (var job in batch.GetProperty("items").EnumerateArray())
        {
            Assert.Equal("succeeded", (await jobs.WaitUntilFinishedAsync(job.GetProperty("id").GetGuid(), TimeSpan.FromSeconds(90))).GetProperty("status").GetString());
        }

        await receiver.WaitForAsync(1, TimeSpan.FromSeconds(20));
        await Task.Delay(1500);
        Assert.Single(receiver.Requests);
    }
}

public sealed class WebhookRetryTests(WebhookApiFactory factory) : IClassFixture<WebhookApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_receiver_that_fails_gets_the_same_event_again_with_the_same_webhook_id_until_it_answers()
    {
        using var receiver = new WebhookReceiver(503, 500);
        var (id, _) = await WebhookApi.CreateAsync(_client, receiver.Url, "job.cancelled");

        var jobId = await CancelledJobAsync();

        var received = await receiver.WaitForAsync(3, TimeSpan.FromSeconds(20));
        Assert.Equal(3, received.Count);
        Assert.Single(received.Select(r => r.Headers["webhook-id"]).Distinct());
        Assert.All(received, r => Assert.Equal(jobId, JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("id").GetGuid()));
        var delivery = Assert.Single(await WebhookApi.DeliveriesAsync(_client, id, expected: 1, status: "delivered"));
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task A_receiver_that_answers_410_is_not_asked_again()
    {
        using var receiver = new WebhookReceiver(410);
        var (id, _) = await WebhookApi.CreateAsync(_client, receiver.Url, "*");

        await CancelledJobAsync();

        var delivery = Assert.Single(await WebhookApi.DeliveriesAsync(_client, id, expected: 1, status: "failed"));
        Assert.Equal((1, 410), (delivery.GetProperty("attempts").GetInt32(), delivery.GetProperty("lastStatusCode").GetInt32()));
        await Task.Delay(1000);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task A_test_ping_arrives_signed_and_after_a_rotation_both_the_old_and_the_new_secret_verify_it()
    {
        using var receiver = new WebhookReceiver();
        var (id, oldSecret) = await WebhookApi.CreateAsync(_client, receiver.Url, "job.succeeded");

        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostAsync(new Uri($"/api/v1/webhooks/{id}/test", UriKind.Relative), null)).StatusCode);
        var ping = Assert.Single(await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)));
        new StandardWebhook(oldSecret).Verify(ping.Body, WebhookApi.Headers(ping));
        Assert.Equal("webhook.test", JsonDocument.Parse(ping.Body).RootElement.GetProperty("type").GetString());

        var rotated = await _client.PostAsync(new Uri($"/api/v1/webhooks/{id}/rotate-secret", UriKind.Relative), null);
        var newSecret = (await rotated.ReadSuccessAsync()).GetProperty("secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(HttpStatusCode.Accepted, (await _client.PostAsync(new Uri($"/api/v1/webhooks/{id}/test", UriKind.Relative), null)).StatusCode);
        var second = (await receiver.WaitForAsync(2, TimeSpan.FromSeconds(10)))[1];

        // Two space-separated signatures, as the specification allows. StandardWebhooks 1.1.2 compares only the first
        // of several (it takes the whole header for the last), so each is checked on its own: one per secret.
        var signatures = second.Headers["webhook-signature"].Split(' ');
        Assert.Equal(2, signatures.Length);
        new StandardWebhook(newSecret).Verify(second.Body, WebhookApi.Headers(second, signatures[0]));
        new StandardWebhook(oldSecret).Verify(second.Body, WebhookApi.Headers(second, signatures[1]));
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(
            () => new StandardWebhook(oldSecret).Verify(second.Body, WebhookApi.Headers(second, signatures[0])));
    }

    [Fact]
    public async Task A_cancel_writes_exactly_one_event_in_its_own_transaction()
    {
        var jobId = await CancelledJobAsync();

        await using var connection = new NpgsqlConnection(factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT type FROM webhook_event WHERE job_id = $1", connection) { Parameters = { new() { Value = jobId } } };
        var types = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            types.Add(reader.GetString(0));
        }

        Assert.Equal(["job.cancelled"], types);
    }

    [Theory]
    [InlineData("""{ "url": "ftp://example.com/x", "events": ["job.succeeded"] }""", "webhook.url_invalid")]
    [InlineData("""{ "url": "https://example.com/x", "events": ["job.exploded"] }""", "validation.failed")]
    [InlineData("""{ "url": "https://example.com/x", "events": [] }""", "validation.failed")]
    [InlineData("""{ "url": "https://example.com/x", "events": ["*"], "headers": { "webhook-signature": "1" } }""", "webhook.headers_invalid")]
    [InlineData("""{ "url": "https://example.com/x", "events": ["*"], "headers": { "X-Bad Name": "1" } }""", "webhook.headers_invalid")]
    [InlineData("""{ "url": "https://example.com/x", "events": ["*"], "headers": { "X-Token": "a\r\nInjected: 1" } }""", "webhook.headers_invalid")]
    public async Task A_subscription_with_a_bad_url_event_or_header_is_a_400_that_says_which(string body, string code)
    {
        var response = await _client.PostAsync(new Uri("/api/v1/webhooks", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(code, problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_subscription_is_listed_and_read_without_its_secret_and_deleted()
    {
        var (id, secret) = await WebhookApi.CreateAsync(_client, "https://example.com/hooks", "job.failed");

        var read = await _client.JsonAsync($"/api/v1/webhooks/{id}");
        var list = await _client.JsonAsync("/api/v1/webhooks");

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.False(read.TryGetProperty("secret", out _));
        Assert.Contains(list.GetProperty("items").EnumerateArray(), s => s.GetProperty("id").GetGuid() == id);
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync(new Uri($"/api/v1/webhooks/{id}", UriKind.Relative))).StatusCode);
        await (await _client.GetAsync(new Uri($"/api/v1/webhooks/{id}", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Custom_headers_reach_the_receiver_are_listed_by_name_only_and_a_patch_merges_them()
    {
        using var receiver = new WebhookReceiver();
        var created = await (await _client.PostAsJsonAsync("/api/v1/webhooks", new
        {
            url = receiver.Url,
            events = new[] { "job.cancelled" },
            headers = new Dictionary<string, string> { ["Authorization"] = "Bearer receiver-token", ["X-Route"] = "r1", ["X-Keep"] = "k" },
        })).ReadSuccessAsync();
        var id = created.GetProperty("id").GetGuid();

        await CancelledJobAsync();
        var first = Assert.Single(await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)));
        var read = await _client.JsonAsync($"/api/v1/webhooks/{id}");
        var patched = await _client.PatchAsync(
            new Uri($"/api/v1/webhooks/{id}", UriKind.Relative),
            new StringContent("""{ "headers": { "X-Route": "r2", "authorization": null }, "description": null }""", System.Text.Encoding.UTF8, "application/merge-patch+json"));
        var after = await patched.ReadSuccessAsync();
        await CancelledJobAsync();
        var second = (await receiver.WaitForAsync(2, TimeSpan.FromSeconds(10)))[1];

        Assert.Equal(("Bearer receiver-token", "r1"), (first.Headers["Authorization"], first.Headers["X-Route"]));
        Assert.Equal(["Authorization", "X-Keep", "X-Route"], read.GetProperty("headerNames").EnumerateArray().Select(n => n.GetString()));
        Assert.DoesNotContain("receiver-token", read.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(["X-Keep", "X-Route"], after.GetProperty("headerNames").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(JsonValueKind.Null, after.GetProperty("description").ValueKind);
        Assert.Equal(("r2", "k"), (second.Headers["X-Route"], second.Headers["X-Keep"]));
        Assert.False(second.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task A_patch_changes_the_events_and_disables_and_enables_a_subscription()
    {
        using var receiver = new WebhookReceiver();
        var (id, _) = await WebhookApi.CreateAsync(_client, receiver.Url, "job.failed");

        var disabled = await PatchAsync(id, """{ "events": ["job.cancelled"], "enabled": false }""");
        await CancelledJobAsync();
        await Task.Delay(1000);
        var enabled = await PatchAsync(id, """{ "enabled": true }""");
        var jobId = await CancelledJobAsync();
        var received = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10));

        Assert.Equal(["job.cancelled"], disabled.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.NotEqual(JsonValueKind.Null, disabled.GetProperty("disabledAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, enabled.GetProperty("disabledAt").ValueKind);
        // The event of the job cancelled while it was disabled was not sent, then or later; the next one was.
        Assert.Equal(jobId, JsonDocument.Parse(Assert.Single(received).Body).RootElement.GetProperty("data").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Custom_headers_are_not_sent_on_to_another_origin_a_receiver_redirects_to()
    {
        using var elsewhere = new WebhookReceiver();
        using var receiver = new WebhookReceiver { RedirectTo = elsewhere.Url };
        await (await _client.PostAsJsonAsync("/api/v1/webhooks", new
        {
            url = receiver.Url,
            events = new[] { "job.cancelled" },
            headers = new Dictionary<string, string> { ["Authorization"] = "Bearer only-for-the-receiver" },
        })).ReadSuccessAsync();

        await CancelledJobAsync();
        var followed = Assert.Single(await elsewhere.WaitForAsync(1, TimeSpan.FromSeconds(10)));

        Assert.Equal("Bearer only-for-the-receiver", Assert.Single(receiver.Requests).Headers["Authorization"]);
        Assert.False(followed.Headers.ContainsKey("Authorization"));
        Assert.True(followed.Headers.ContainsKey("webhook-signature"));
    }

    [Theory]
    [InlineData("""{ "events": [] }""", "validation.failed")]
    [InlineData("""{ "url": 5 }""", "webhook.patch_invalid")]
    [InlineData("""{ "secret": "whsec_x" }""", "webhook.patch_invalid")]
    [InlineData("""{ "headers": { "Host": "evil" } }""", "webhook.headers_invalid")]
    [InlineData("""{ "headers": { "X-Name": "café" } }""", "webhook.headers_invalid")]
    [InlineData("""{ "headers": { "X-A": "1", "x-a": null, "X-B": 5 } }""", "webhook.patch_invalid")]
    [InlineData("""[1]""", "webhook.patch_invalid")]
    public async Task A_bad_patch_is_a_400_that_says_what_and_changes_nothing(string body, string code)
    {
        var (id, _) = await WebhookApi.CreateAsync(_client, "https://example.com/hooks", "job.failed");

        var response = await _client.PatchAsync(new Uri($"/api/v1/webhooks/{id}", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        var read = await _client.JsonAsync($"/api/v1/webhooks/{id}");
        Assert.Equal(["job.failed"], read.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(read.GetProperty("headerNames").EnumerateArray());
    }

    [Fact]
    public async Task A_jobs_own_webhook_is_told_of_its_end_with_its_headers_signed_with_the_tenants_job_secret()
    {
        using var receiver = new WebhookReceiver();
        var (_, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"own-webhook-{Guid.NewGuid():N}");
        var jobs = new JobClient(client);
        var media = await jobs.UploadAsync(SpeechSamples.Librivox()[0].Path, "audio/wav");
        var webhook = new { url = receiver.Url, headers = new Dictionary<string, string> { ["X-Token"] = "per-job" } };

        // Without the tenant's job webhook secret nothing could sign it: refused, saying what to do.
        var refused = await client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = media, webhook });
        var problem = await refused.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("webhook.secret_missing", problem.GetProperty("code").GetString());
        Assert.Contains("/api/v1/webhooks/job-secret", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var secret = (await (await client.PostAsync(new Uri("/api/v1/webhooks/job-secret", UriKind.Relative), null)).ReadSuccessAsync()).GetProperty("secret").GetString()!;
        var jobId = await jobs.SubmitAsync(media, new { webhook });
        var read = await client.JsonAsync($"/api/v1/jobs/{jobId}");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(new Uri($"/api/v1/jobs/{jobId}/cancel", UriKind.Relative), null)).StatusCode);

        var delivery = Assert.Single(await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)));
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        new StandardWebhook(secret).Verify(delivery.Body, WebhookApi.Headers(delivery));
        Assert.Equal("per-job", delivery.Headers["X-Token"]);
        var body = JsonDocument.Parse(delivery.Body).RootElement;
        Assert.Equal(("job.cancelled", jobId), (body.GetProperty("type").GetString(), body.GetProperty("data").GetProperty("id").GetGuid()));
        Assert.Equal(receiver.Url, read.GetProperty("webhook").GetProperty("url").GetString());
        Assert.Equal(["X-Token"], read.GetProperty("webhook").GetProperty("headerNames").EnumerateArray().Select(n => n.GetString()));
        Assert.DoesNotContain("per-job", read.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_thousand_cancelled_jobs_give_a_thousand_deliveries_each_once()
    {
        using var receiver = new WebhookReceiver();
        var (_, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"thousand-{Guid.NewGuid():N}");
        var (id, _) = await WebhookApi.CreateAsync(client, receiver.Url, "job.cancelled");
        var media = await new JobClient(client).UploadAsync(SpeechSamples.Librivox()[0].Path, "audio/wav");
        var batch = await (await client.PostAsJsonAsync("/api/v1/jobs/batch", new { jobs = Enumerable.Range(0, 1000).Select(_ => new { mediaId = media }) })).ReadSuccessAsync();
        var ids = batch.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("id").GetGuid()).ToList();

        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (jobId, ct) =>
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(new Uri($"/api/v1/jobs/{jobId}/cancel", UriKind.Relative), null, ct)).StatusCode));
        var received = await receiver.WaitForAsync(1000, TimeSpan.FromSeconds(60));
        await Task.Delay(500);

        Assert.Equal(1000, receiver.Requests.Count);
        Assert.Equal(1000, received.Select(r => r.Headers["webhook-id"]).Distinct().Count());
        Assert.True(ids.ToHashSet().SetEquals(receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("id").GetGuid())));
    }

    private async Task<JsonElement> PatchAsync(Guid id, string body) =>
        await (await _client.PatchAsync(new Uri($"/api/v1/webhooks/{id}", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
            .ReadSuccessAsync();

    private async Task<Guid> CancelledJobAsync()
    {
        var jobs = new JobClient(_client);
        var jobId = await jobs.SubmitAsync(await jobs.UploadAsync(SpeechSamples.Librivox()[0].Path, "audio/wav"));
        var cancelled = await _client.PostAsync(new Uri($"/api/v1/jobs/{jobId}/cancel", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        return jobId;
    }
}

public sealed class WebhookAddressTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_webhook_url_on_a_private_address_is_refused_unless_the_operator_allows_it()
    {
        var response = await factory.CreateClient().PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hooks", events = new[] { "*" } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("webhook.url_forbidden", problem.GetProperty("code").GetString());
    }
}

internal static class WebhookApi
{
    public static HeaderDictionary Headers(WebhookReceiver.Received request, string? signature = null) =>
        new(request.Headers.ToDictionary(
            h => h.Key,
            h => new Microsoft.Extensions.Primitives.StringValues(signature is not null && h.Key.Equals("webhook-signature", StringComparison.OrdinalIgnoreCase) ? signature : h.Value)));

    public static async Task<(Guid Id, string Secret)> CreateAsync(HttpClient client, string url, params string[] events)
    {
        var response = await client.PostAsJsonAsync("/api/v1/webhooks", new { url, events, description = "test receiver" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.ReadSuccessAsync();
        return (body.GetProperty("id").GetGuid(), body.GetProperty("secret").GetString()!);
    }

    /// <summary>The subscription's deliveries once <paramref name="expected"/> of them exist (and are in <paramref name="status"/> when given).</summary>
    public static async Task<List<JsonElement>> DeliveriesAsync(HttpClient client, Guid id, int expected, string? status = null, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var items = (await client.JsonAsync($"/api/v1/webhooks/{id}/deliveries")).GetProperty("items").EnumerateArray().ToList();
            var done = items.Count >= expected && items.All(d => status is null ? d.GetProperty("status").GetString() != "pending" : d.GetProperty("status").GetString() == status);
            if (done || DateTime.UtcNow > deadline)
            {
                return items;
            }

            await Task.Delay(100);
        }
    }
}
