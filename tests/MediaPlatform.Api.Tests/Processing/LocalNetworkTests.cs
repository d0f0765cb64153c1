using System.Net;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.TestSupport.Http;
using MediaPlatform.TestSupport.Media;

namespace MediaPlatform.Api.Tests.Processing;

/// <summary>
/// Media by URL and the OpenAI-compatible engine, end to end, against real HTTP servers on loopback. Loopback is a
/// private address, so this service allows private URLs, as an operator on a closed network would.
/// </summary>
[Collection(ProcessingCollection.Name)]
public sealed class LocalNetworkTests(LocalNetworkTests.LocalNetworkFactory factory) : IClassFixture<LocalNetworkTests.LocalNetworkFactory>
{
    private readonly JobClient _jobs = new(factory.CreateClient());

    [Fact]
    public async Task Media_registered_by_url_is_fetched_probed_and_transcribed()
    {
        var (path, reference) = SpeechSamples.Librivox()[3];
        using var files = new LocalHttpServer(async context =>
        {
            var bytes = await File.ReadAllBytesAsync(path);
            context.Response.ContentType = "audio/wav";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
        });
        var register = await factory.CreateClient().PostAsync(
            new Uri("/api/v1/media", UriKind.Relative),
            System.Net.Http.Json.JsonContent.Create(new { url = new Uri(files.BaseAddress, "talk.wav").ToString() }));
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        var mediaId = (await register.ReadSuccessAsync()).GetProperty("id").GetGuid();

        var job = await _jobs.WaitUntilFinishedAsync(await _jobs.SubmitAsync(mediaId));

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var media = await _jobs.GetAsync($"/api/v1/media/{mediaId}");
        Assert.Equal("ready", media.GetProperty("status").GetString());
        Assert.Equal(new FileInfo(path).Length, media.GetProperty("sizeBytes").GetInt64());
        var text = (await _jobs.GetAsync($"/api/v1/jobs/{job.GetProperty("id").GetGuid()}/transcription")).GetProperty("text").GetString()!;
        var (errors, words) = SpeechSamples.WordErrors(reference, text);
        Assert.True(errors < words, $"'{text}' has nothing in common with '{reference}'");
    }

    [Fact]
    public async Task The_openai_engine_sends_verbose_json_requests_and_stores_the_returned_segments()
    {
        var (path, reference) = SpeechSamples.Librivox()[4];
        var mediaId = await _jobs.UploadAsync(path, "audio/wav");

        var job = await _jobs.WaitUntilFinishedAsync(await _jobs.SubmitAsync(mediaId, new { engine = "openai", language = "en" }));

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        var transcription = await _jobs.GetAsync($"/api/v1/jobs/{job.GetProperty("id").GetGuid()}/transcription");
        Assert.Equal("openai", transcription.GetProperty("engine").GetString());
        Assert.Equal("whisper-test", transcription.GetProperty("model").GetString());
        Assert.True(transcription.GetProperty("segments").GetArrayLength() > 0);
        var (errors, words) = SpeechSamples.WordErrors(reference, transcription.GetProperty("text").GetString()!);
        Assert.True(errors < words);
        var request = Assert.Single(factory.Whisper.Requests);
        Assert.Equal("verbose_json", request["response_format"]);
        Assert.Equal("whisper-test", request["model"]);
        Assert.Equal("en", request["language"]);
        Assert.Equal("segment,word", request["timestamp_granularities[]"]);
        Assert.EndsWith("bytes", request["file"], StringComparison.Ordinal);
    }

    public sealed class LocalNetworkFactory : ProcessingFactory
    {
        public WhisperCompatibleServer Whisper { get; } = new();

        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
            base.Settings().Concat(new Dictionary<string, string?>
            {
                ["Media:AllowPrivateUrls"] = "true",
                ["Transcription:OpenAi:BaseUrl"] = Whisper.BaseAddress.ToString(),
                ["Transcription:OpenAi:Model"] = "whisper-test",
            });

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                Whisper.Dispose();
            }
        }
    }
}
