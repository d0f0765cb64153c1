using System.Net;
using System.Net.Http.Json;
using MediaPlatform.Api.Streams;
using MediaPlatform.Api.Tests.Access;
using MediaPlatform.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MediaPlatform.Api.Tests.Jobs;

/// <summary>Event streams end when their job ends or goes, even when a notification is lost; they share their reads; they are bounded.</summary>
public sealed class EventStreamTests(EventStreamTests.StreamFactory factory) : IClassFixture<EventStreamTests.StreamFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Twenty_streams_on_one_job_cost_one_read_per_notification_and_all_end_with_it()
    {
        var job = await QueuedJobAsync();
        var streams = new List<Task<string>>();
        for (var i = 0; i < 20; i++)
        {
            streams.Add(await OpenAsync(job));
        }

        var reads = factory.Services.GetRequiredService<JobStreams>().Reads;
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync(new Uri($"/api/v1/jobs/{job}/cancel", UriKind.Relative), null)).StatusCode);

        var bodies = await Task.WhenAll(streams).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.All(bodies, b => Assert.Contains("\"status\":\"cancelled\"", b, StringComparison.Ordinal));
        Assert.Equal(1, factory.Services.GetRequiredService<JobStreams>().Reads - reads);
    }

    [Fact]
    public async Task A_stream_on_a_queued_job_that_is_deleted_ends()
    {
        var job = await QueuedJobAsync();
        var stream = await OpenAsync(job);

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync(new Uri($"/api/v1/jobs/{job}", UriKind.Relative))).StatusCode);

        var body = await stream.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("\"status\":\"queued\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_ends_with_its_job_even_when_the_notification_is_never_sent()
    {
        var job = await QueuedJobAsync();
        var stream = await OpenAsync(job);

        await using (var db = factory.CreateDbContext())
        {
            // Triggers off for this session: the change is made without any notification.
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("SET session_replication_role = replica");
            await db.Database.ExecuteSqlAsync($"UPDATE job SET status = 'cancelled', finished_at = now(), updated_at = now() WHERE id = {job}");
        }

        var body = await stream.WaitAsync(TimeSpan.FromSeconds(10)); // the feed refreshes every second here
        Assert.Contains("\"status\":\"cancelled\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_reconnecting_with_the_last_event_id_is_not_sent_the_state_it_has()
    {
        var job = await QueuedJobAsync();
        await _client.PostAsync(new Uri($"/api/v1/jobs/{job}/cancel", UriKind.Relative), null);
        var first = await (await OpenAsync(job)).WaitAsync(TimeSpan.FromSeconds(10));
        var id = first.Split('\n').First(l => l.StartsWith("id: ", StringComparison.Ordinal))[4..];

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/jobs/{job}/events");
        request.Headers.Add("Last-Event-ID", id);
        var again = await (await _client.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.DoesNotContain("data:", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streams_past_the_tenants_limit_are_429()
    {
        var (_, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"streams-{Guid.NewGuid():N}");
        var jobs = new JobClient(client);
        var job = await jobs.SubmitAsync(await UploadToneAsync(jobs));
        var open = new List<HttpResponseMessage>();
        for (var i = 0; i < 25; i++)
        {
            open.Add(await client.GetAsync(new Uri($"/api/v1/jobs/{job}/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead));
        }

        var over = await client.GetAsync(new Uri($"/api/v1/jobs/{job}/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);

        Assert.All(open, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal("streams.limit", (await over.AssertProblemAsync(HttpStatusCode.TooManyRequests)).GetProperty("code").GetString());
        foreach (var response in open)
        {
            response.Dispose();
        }
    }

    private async Task<Guid> QueuedJobAsync()
    {
        var media = (await (await _client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(TestMedia.ToneWav()))).ReadSuccessAsync()).GetProperty("id").GetGuid();
        return (await (await _client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = media })).ReadSuccessAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>Opens a stream and waits for its first event; the task completes with the whole body when the stream ends.</summary>
    private async Task<Task<string>> OpenAsync(Guid job)
    {
        var response = await _client.GetAsync(new Uri($"/api/v1/jobs/{job}/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var head = new System.Text.StringBuilder();
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            head.Append(line).Append('\n');
            if (line.Length == 0 && head.ToString().Contains("data:", StringComparison.Ordinal))
            {
                break;
            }
        }

        return RestAsync(response, reader, head.ToString());

        static async Task<string> RestAsync(HttpResponseMessage response, StreamReader reader, string head)
        {
            using (response)
            using (reader)
            {
                return head + await reader.ReadToEndAsync();
            }
        }
    }

    /// <summary>Uploads a tone through a temporary file, which goes once it is sent.</summary>
    private static async Task<Guid> UploadToneAsync(JobClient jobs)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tone-{Guid.NewGuid():N}.wav");
        await File.WriteAllBytesAsync(path, TestMedia.ToneWav());
        try
        {
            return await jobs.UploadAsync(path, "audio/wav");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Streams refresh every second and a tenant may hold 25 at once.</summary>
    public sealed class StreamFactory : ApiFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => new Dictionary<string, string?>
        {
            ["Streams:RefreshSeconds"] = "1",
            ["Streams:MaxPerTenant"] = "25",
        };
    }
}
