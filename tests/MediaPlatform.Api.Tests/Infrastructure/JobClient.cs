using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MediaPlatform.Api.Tests.Infrastructure;

/// <summary>The API calls the processing tests repeat: upload a file, submit a job, wait for it to end.</summary>
public sealed class JobClient(HttpClient client)
{
    public static readonly string[] AllAnalyses = ["keywords", "summary", "sentiment", "speechStatistics"];

    public async Task<Guid> UploadAsync(string path, string contentType)
    {
        var response = await client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(await File.ReadAllBytesAsync(path), Path.GetFileName(path), contentType));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await ReadAsync(response)).GetProperty("id").GetGuid();
    }

    public async Task<Guid> SubmitAsync(Guid mediaId, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["mediaId"] = mediaId, ["analyses"] = AllAnalyses };
        if (extra is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extra).EnumerateObject())
            {
                body[property.Name] = property.Value;
            }
        }

        var response = await client.PostAsJsonAsync("/api/v1/jobs", body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await ReadAsync(response)).GetProperty("id").GetGuid();
    }

    public async Task<JsonElement> GetAsync(string url)
    {
        var response = await client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ReadAsync(response);
    }

    /// <summary>Polls the job until <paramref name="done"/> holds, or fails the test after <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> WaitAsync(Guid jobId, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement job;
        do
        {
            job = await GetAsync($"/api/v1/jobs/{jobId}");
            if (done(job))
            {
                return job;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"Job {jobId} did not get there within {timeout.TotalSeconds} s; it is {job.GetRawText()}");
        return job;
    }

    /// <summary>Uploads a recording, runs a job on it to success and returns the job and its transcription.</summary>
    public async Task<(Guid JobId, JsonElement Transcript)> TranscribeAsync(string path, object? extra = null)
    {
        var jobId = await SubmitAsync(await UploadAsync(path, "audio/wav"), extra);
        Assert.Equal("succeeded", (await WaitUntilFinishedAsync(jobId, TimeSpan.FromSeconds(90))).GetProperty("status").GetString());
        return (jobId, await GetAsync($"/api/v1/jobs/{jobId}/transcription"));
    }

    public Task<JsonElement> WaitUntilFinishedAsync(Guid jobId, TimeSpan? timeout = null) =>
        WaitAsync(jobId, j => j.GetProperty("status").GetString() is "succeeded" or "failed" or "cancelled", timeout ?? TimeSpan.FromSeconds(90));

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
