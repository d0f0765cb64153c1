using System.Net;
using MediaPlatform.Api.Tests.Access;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Domain.Tenants;
using MediaPlatform.TestSupport.Media;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Api.Tests.Processing;

/// <summary>Workers act for the job's tenant: its results belong to it, and its limits apply once the media is probed.</summary>
[Collection(ProcessingCollection.Name)]
public sealed class TenantProcessingTests(ProcessingFactory factory) : IClassFixture<ProcessingFactory>, IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("mp-tenant-media-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task A_tenants_job_is_transcribed_for_that_tenant_and_invisible_to_others()
    {
        var (tenant, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"worker-{Guid.NewGuid():N}");
        var jobs = new JobClient(client);
        var wav = SpeechSamples.Espeak(_work.FullName, "The weather is fine today.");

        var job = await jobs.SubmitAsync(await jobs.UploadAsync(wav, "audio/wav"));
        var finished = await jobs.WaitUntilFinishedAsync(job);

        Assert.Equal("succeeded", finished.GetProperty("status").GetString());
        var transcription = await jobs.GetAsync($"/api/v1/jobs/{job}/transcription");
        Assert.False(string.IsNullOrWhiteSpace(transcription.GetProperty("text").GetString()));
        await (await factory.CreateClient().GetAsync(new Uri($"/api/v1/transcriptions/{transcription.GetProperty("id").GetGuid()}", UriKind.Relative)))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await using var db = factory.CreateDbContext();
        var id = new TenantId(tenant);
        Assert.Equal(1, await db.Transcriptions.CountAsync(t => t.TenantId == id));
        Assert.Equal(4, await db.AnalysisResults.CountAsync(a => a.TenantId == id));
    }

    [Fact]
    public async Task Media_longer_than_the_tenants_limit_fails_its_job_after_probing_and_later_submits_are_422()
    {
        var (_, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"short-{Guid.NewGuid():N}", new { maxMediaSeconds = 1 });
        var jobs = new JobClient(client);
        var wav = SpeechSamples.Espeak(_work.FullName, "This sentence takes well over one second to say out loud.");
        var media = await jobs.UploadAsync(wav, "audio/wav");

        var finished = await jobs.WaitUntilFinishedAsync(await jobs.SubmitAsync(media));

        Assert.Equal("failed", finished.GetProperty("status").GetString());
        Assert.Equal("tenant.max_media_seconds", finished.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(1, finished.GetProperty("attempts").GetInt32());
        var again = await client.PostAsync(new Uri("/api/v1/jobs", UriKind.Relative), System.Net.Http.Json.JsonContent.Create(new { mediaId = media }));
        Assert.Equal("tenant.max_media_seconds", (await again.AssertProblemAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString());
    }
}
