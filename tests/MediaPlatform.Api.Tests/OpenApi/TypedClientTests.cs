using System.Diagnostics;
using System.Net.Http.Json;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Api.Tests.Processing;
using MediaPlatform.TestSupport;
using MediaPlatform.TestSupport.Media;

namespace MediaPlatform.Api.Tests.OpenApi;

/// <summary>
/// The OpenAPI document as a typed client sees it (tests/openapi-client): redocly lint, a TypeScript client generated
/// by openapi-typescript used under tsc --strict without casts, and real answers of this service, captured here,
/// validated against the document's schemas with ajv.
/// </summary>
[Collection(ProcessingCollection.Name)]
public sealed class TypedClientTests(ProcessingFactory factory) : IClassFixture<ProcessingFactory>, IDisposable
{
    private readonly DirectoryInfo _samples = Directory.CreateTempSubdirectory("mp-openapi-");

    public void Dispose() => _samples.Delete(recursive: true);

    [Fact]
    public async Task A_generated_typescript_client_type_checks_and_real_answers_match_the_document()
    {
        var client = factory.CreateClient();
        var anonymous = factory.CreateAnonymousClient();
        var jobs = new JobClient(client);
        await SaveAsync("GetMe.200", client.GetAsync(new Uri("/api/v1/me", UriKind.Relative)));
        var mediaId = await jobs.UploadAsync(SpeechSamples.Librivox()[0].Path, "audio/wav");
        await SaveAsync("GetMedia.200", client.GetAsync(new Uri($"/api/v1/media/{mediaId}", UriKind.Relative)));
        await SaveAsync("ListMedia.200", client.GetAsync(new Uri("/api/v1/media?limit=5", UriKind.Relative)));
        await SaveAsync("SubmitJob.202", client.PostAsJsonAsync("/api/v1/jobs", new { mediaId, analyses = new[] { "keywords", "summary", "sentiment", "speechStatistics" } }));
        var jobId = await jobs.SubmitAsync(mediaId);
        await jobs.WaitUntilFinishedAsync(jobId, TimeSpan.FromSeconds(90));
        await SaveAsync("GetJob.200", client.GetAsync(new Uri($"/api/v1/jobs/{jobId}", UriKind.Relative)));
        await SaveAsync("ListJobs.200", client.GetAsync(new Uri("/api/v1/jobs?limit=5", UriKind.Relative)));
        await SaveAsync("GetJobTranscription.200", client.GetAsync(new Uri($"/api/v1/jobs/{jobId}/transcription", UriKind.Relative)));
        await SaveAsync("ListJobAnalyses.200", client.GetAsync(new Uri($"/api/v1/jobs/{jobId}/analyses", UriKind.Relative)));
        await SaveAsync("GetQueue.200", client.GetAsync(new Uri("/api/v1/queue", UriKind.Relative)));
        await SaveAsync("GetJob.404", client.GetAsync(new Uri($"/api/v1/jobs/{Guid.Empty}", UriKind.Relative)));
        await SaveAsync("GetJob.401", anonymous.GetAsync(new Uri($"/api/v1/jobs/{jobId}", UriKind.Relative)));
        await SaveAsync("SubmitJob.400", client.PostAsJsonAsync("/api/v1/jobs", new { }));
        await SaveAsync("CreateWebhook.201", client.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://93.184.215.14/hooks", events = new[] { "*" } }));
        await SaveAsync("ListWebhooks.200", client.GetAsync(new Uri("/api/v1/webhooks", UriKind.Relative)));
        await SaveAsync("ListTenants.200", client.GetAsync(new Uri("/api/v1/tenants", UriKind.Relative)));
        await SaveAsync("OpenAiListModels.200", client.GetAsync(new Uri("/v1/models", UriKind.Relative)));
        await SaveAsync("OpenAiListModels.401", anonymous.GetAsync(new Uri("/v1/models", UriKind.Relative)));
        var document = Path.Combine(_samples.FullName, "..", $"{_samples.Name}.json");
        await File.WriteAllTextAsync(document, await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        var (exitCode, output) = await RunCheckerAsync(document, _samples.FullName);
        File.Delete(document);

        Assert.True(exitCode == 0, output);
        Assert.Contains("openapi-client: ", output, StringComparison.Ordinal);
        Assert.Contains(" 0 failed", output, StringComparison.Ordinal);
    }

    private async Task SaveAsync(string name, Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.True((int)response.StatusCode == int.Parse(name.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture), $"{name}: {(int)response.StatusCode}");
        await File.WriteAllTextAsync(Path.Combine(_samples.FullName, name + ".json"), await response.Content.ReadAsStringAsync());
    }

    private static async Task<(int ExitCode, string Output)> RunCheckerAsync(string document, string samples)
    {
        var folder = RepositoryRoot.File("tests", "openapi-client");
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
        {
            using var install = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--silent"]) { WorkingDirectory = folder })!;
            await install.WaitForExitAsync();
        }

        var start = new ProcessStartInfo("node", ["check.mjs", document, samples])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
