using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text.Json;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Api.Tests.Processing;
using MediaPlatform.TestSupport.Media;
using Microsoft.EntityFrameworkCore;
using OpenAI;
using OpenAI.Audio;

namespace MediaPlatform.Api.Tests.OpenAiApi;

/// <summary><c>POST /v1/audio/transcriptions</c> driven by the official OpenAI .NET SDK, on real recordings through real jobs.</summary>
[Collection(ProcessingCollection.Name)]
public sealed class OpenAiEndpointTests(ProcessingFactory factory) : IClassFixture<ProcessingFactory>
{
    private static readonly (string Path, string Reference) Sample = SpeechSamples.Librivox()[3];

    [Fact]
    public async Task The_openai_sdk_transcribes_a_recording_as_json()
    {
        var result = await Client().TranscribeAudioAsync(Sample.Path);

        var (errors, words) = SpeechSamples.WordErrors(Sample.Reference, result.Value.Text);
        Assert.True(errors < words / 2, $"{errors} errors in {words} words: {result.Value.Text}");
    }

    [Fact]
    public async Task Verbose_json_has_the_language_the_duration_segments_and_words_when_asked()
    {
        var result = await Client().TranscribeAudioAsync(Sample.Path, new AudioTranscriptionOptions
        {
            ResponseFormat = AudioTranscriptionFormat.Verbose,
            TimestampGranularities = AudioTimestampGranularities.Word | AudioTimestampGranularities.Segment,
        });

        var transcript = result.Value;
        Assert.Equal("english", transcript.Language);
        Assert.InRange(transcript.Duration!.Value.TotalSeconds, 1, 30);
        Assert.NotEmpty(transcript.Segments);
        Assert.NotEmpty(transcript.Words);
        Assert.All(transcript.Words, w => Assert.True(w.EndTime >= w.StartTime));
        Assert.All(transcript.Segments, s => Assert.InRange(s.AverageLogProbability, -14, 0));
        Assert.Equal(transcript.Text, string.Join(' ', transcript.Segments.Select(s => s.Text)));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("srt")]
    [InlineData("vtt")]
    public async Task The_text_and_caption_formats_come_back_as_text(string format)
    {
        var result = await Client().TranscribeAudioAsync(Sample.Path, new AudioTranscriptionOptions { ResponseFormat = new AudioTranscriptionFormat(format) });

        var text = result.Value.Text;
        Assert.False(string.IsNullOrWhiteSpace(text));
        if (format != "text")
        {
            Assert.Contains("-->", text, StringComparison.Ordinal);
        }

        if (format == "vtt")
        {
            Assert.StartsWith("WEBVTT", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unknown_model_is_refused_in_openais_error_shape()
    {
        var mediaBefore = await MediaCountAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => Client("gpt-imaginary").TranscribeAudioAsync(Sample.Path));

        Assert.Equal(404, failure.Status);
        Assert.Equal(mediaBefore, await MediaCountAsync()); // the refused request left no medium in the caller's library
        var error = JsonDocument.Parse(failure.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal(("model_not_found", "model", "invalid_request_error"), (error.GetProperty("code").GetString(), error.GetProperty("param").GetString(), error.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task A_language_the_model_cannot_transcribe_is_the_callers_error_not_the_servers()
    {
        var mediaBefore = await MediaCountAsync();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => Client().TranscribeAudioAsync(Sample.Path, new AudioTranscriptionOptions { Language = "fr" }));

        Assert.Equal(400, failure.Status);
        Assert.Equal(mediaBefore, await MediaCountAsync()); // the refused request left no medium in the caller's library
        var error = JsonDocument.Parse(failure.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal(("engine.language_unsupported", "language", "invalid_request_error"), (error.GetProperty("code").GetString(), error.GetProperty("param").GetString(), error.GetProperty("type").GetString()));
        Assert.Contains("/v1/models", error.GetProperty("message").GetString(), StringComparison.Ordinal); // what to do instead, in this API's terms
    }

    [Fact]
    public async Task A_file_that_is_not_audio_is_the_callers_error_not_the_servers()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-audio-{Guid.NewGuid():N}.wav");
        await File.WriteAllTextAsync(path, string.Concat(Enumerable.Repeat("this is a text file, not a recording. ", 200)));
        try
        {
            var failure = await Assert.ThrowsAsync<ClientResultException>(() => Client().TranscribeAudioAsync(path));

            Assert.Equal(400, failure.Status);
            var error = JsonDocument.Parse(failure.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
            Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
            Assert.StartsWith("media.", error.GetProperty("code").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_missing_or_wrong_key_is_refused_in_openais_error_shape()
    {
        var missing = await factory.CreateAnonymousClient().GetAsync(new Uri("/v1/models", UriKind.Relative));
        var wrong = await Assert.ThrowsAsync<ClientResultException>(() => new OpenAIClient(
            new ApiKeyCredential("mp_live_" + new string('x', 43)),
            new OpenAIClientOptions { Endpoint = new Uri(factory.Server.BaseAddress, "/v1"), Transport = new HttpClientPipelineTransport(factory.CreateAnonymousClient()) })
            .GetAudioClient("whisper-1").TranscribeAudioAsync(Sample.Path));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("application/json", missing.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("API key", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(401, wrong.Status);
        var wrongError = JsonDocument.Parse(wrong.GetRawResponse()!.Content.ToString()).RootElement.GetProperty("error");
        Assert.Equal("invalid_api_key", wrongError.GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_models_are_the_engines_with_whisper_1_for_the_default()
    {
        var response = await factory.CreateClient().GetAsync(new Uri("/v1/models", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains("whisper-1", ids);
        Assert.Contains("pocketsphinx", ids);
    }

    private AudioClient Client(string model = "whisper-1") =>
        new OpenAIClient(new ApiKeyCredential(ApiFactory.AdminKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(factory.Server.BaseAddress, "/v1"),
            Transport = new HttpClientPipelineTransport(factory.CreateClient()),
            NetworkTimeout = TimeSpan.FromSeconds(120),
        }).GetAudioClient(model);

    private async Task<int> MediaCountAsync()
    {
        await using var db = factory.CreateDbContext();
        return await db.MediaAssets.IgnoreQueryFilters().CountAsync();
    }
}
