using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.TestSupport.Media;

namespace MediaPlatform.Api.Tests.Processing;

/// <summary>
/// A real failure, not a stub: the OpenAI-compatible engine pointed at a port where nothing listens. Its own
/// service (and database), so that no worker configured differently can pick the job up.
/// </summary>
[Collection(ProcessingCollection.Name)]
public sealed class EngineFailureTests(EngineFailureTests.UnreachableEngineFactory factory) : IClassFixture<EngineFailureTests.UnreachableEngineFactory>
{
    [Fact]
    public async Task A_failing_engine_is_retried_with_backoff_then_the_job_fails_with_its_reason()
    {
        var jobs = new JobClient(factory.CreateClient());
        var mediaId = await jobs.UploadAsync(SpeechSamples.Librivox()[0].Path, "audio/wav");

        var job = await jobs.WaitUntilFinishedAsync(await jobs.SubmitAsync(mediaId, new { engine = "openai" }));

        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal(Job.DefaultMaxAttempts, job.GetProperty("attempts").GetInt32());
        Assert.Equal("engine.unreachable", job.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("gave up after 3 attempts", job.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        // The caller learns what failed, not where the server is or what the socket said.
        Assert.DoesNotContain("127.0.0.1", job.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        var started = job.GetProperty("startedAt").GetDateTimeOffset();
        var finished = job.GetProperty("finishedAt").GetDateTimeOffset();
        Assert.True(finished - started >= TimeSpan.FromSeconds(0.2), "the retries were not spaced by backoff");
    }

    [Fact]
    public async Task An_engine_that_is_not_configured_is_refused_at_submission()
    {
        IAsyncLifetime plain = new ProcessingFactory();
        await plain.InitializeAsync();
        try
        {
            var response = await ((ProcessingFactory)plain).CreateClient().PostAsync(
                new Uri("/api/v1/jobs", UriKind.Relative),
                System.Net.Http.Json.JsonContent.Create(new { mediaId = Guid.CreateVersion7(), engine = "openai" }));

            var problem = await response.AssertProblemAsync(System.Net.HttpStatusCode.BadRequest);
            Assert.Equal("job.engine_unknown", problem.GetProperty("code").GetString());
        }
        finally
        {
            await plain.DisposeAsync();
        }
    }

    public sealed class UnreachableEngineFactory : ProcessingFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
            base.Settings().Append(new("Transcription:OpenAi:BaseUrl", "http://127.0.0.1:9"));
    }
}
