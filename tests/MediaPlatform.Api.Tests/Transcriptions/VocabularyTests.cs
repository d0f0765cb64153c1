using System.Net;
using System.Net.Http.Json;
using MediaPlatform.Api.Tests.Access;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Api.Tests.Processing;
using MediaPlatform.TestSupport.Media;

namespace MediaPlatform.Api.Tests.Transcriptions;

/// <summary>Saved vocabularies (/api/v1/vocabularies) and jobs using one by vocabularyId, against an engine of known output.</summary>
[Collection(ProcessingCollection.Name)]
public sealed class VocabularyTests(PiiRedactionTests.FixedEngineFactory factory) : IClassFixture<PiiRedactionTests.FixedEngineFactory>
{
    [Fact]
    public async Task A_saved_vocabulary_is_used_by_id_and_a_job_keeps_its_terms_after_it_is_deleted()
    {
        var (_, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"vocab-{Guid.NewGuid():N}");
        var created = await client.PostAsJsonAsync("/api/v1/vocabularies", new { name = "platform team", terms = new[] { "Kubernetes", "Anand", "kubernetes" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var vocabulary = await created.ReadSuccessAsync();
        var id = vocabulary.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/vocabularies/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(["Kubernetes", "Anand"], vocabulary.GetProperty("terms").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal([id], (await client.JsonAsync("/api/v1/vocabularies")).GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()));

        var jobs = new JobClient(client);
        var media = await jobs.UploadAsync(SpeechSamples.Librivox()[0].Path, "audio/wav");
        var jobId = await jobs.SubmitAsync(media, new { engine = "openai", analyses = Array.Empty<string>(), vocabularyId = id, vocabulary = new[] { "Terraform" } });
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(new Uri($"/api/v1/vocabularies/{id}", UriKind.Relative))).StatusCode);

        var job = await jobs.WaitUntilFinishedAsync(jobId);
        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.Equal(["Kubernetes", "Anand", "Terraform"], job.GetProperty("vocabulary").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains(factory.Whisper.Requests, r => r.TryGetValue("prompt", out var prompt) && prompt == "Kubernetes, Anand, Terraform");
        await (await client.GetAsync(new Uri($"/api/v1/vocabularies/{id}", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.NotFound);
        var missing = await (await client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = media, vocabularyId = id })).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("vocabulary.not_found", missing.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{"name":"x","terms":[]}""", "terms")]
    [InlineData("""{"terms":["a"]}""", "name")]
    [InlineData("""{"name":"x","terms":["ok","bell\u0007"]}""", "terms[1]")]
    public async Task A_bad_vocabulary_is_a_400_naming_the_field(string body, string field)
    {
        var problem = await (await factory.CreateClient().PostAsync(
            new Uri("/api/v1/vocabularies", UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }
}
