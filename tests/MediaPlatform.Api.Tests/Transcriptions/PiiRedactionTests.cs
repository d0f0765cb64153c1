using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaPlatform.Api.Tests.Access;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Api.Tests.Processing;
using MediaPlatform.TestSupport.Http;
using MediaPlatform.TestSupport.Media;

namespace MediaPlatform.Api.Tests.Transcriptions;

/// <summary>
/// PII redaction end to end on real audio, with an engine whose output is known (the OpenAI-compatible engine against
/// a loopback server that returns a fixed transcript with emails, phone and card numbers in spoken and written forms),
/// so the expectations do not depend on recognition luck. The redacted audio is checked sample by sample.
/// </summary>
[Collection(ProcessingCollection.Name)]
public sealed class PiiRedactionTests(PiiRedactionTests.FixedEngineFactory factory) : IClassFixture<PiiRedactionTests.FixedEngineFactory>
{
    private static readonly (double Start, double End, string Text)[] Said =
    [
        (0.0, 2.0, "my email is john dot doe at example dot com"),
        (2.0, 4.0, "call six five zero two five three zero zero zero zero"),
        (4.0, 5.5, "card 4111 1111 1111 1111 and jane@example.org"),
        (5.5, 7.0, "uh ask anand kumar about it damn"),
    ];

    [Fact]
    public async Task The_stored_transcript_search_and_audio_see_only_the_redacted_text()
    {
        var (tenant, client) = await TenantApi.CreateTenantWithClientAsync(factory, $"pii-{Guid.NewGuid():N}");
        var jobs = new JobClient(client);
        var (path, _) = SpeechSamples.Librivox()[0];
        var media = await jobs.UploadAsync(path, "audio/wav");

        var jobId = await jobs.SubmitAsync(media, new
        {
            engine = "openai",
            analyses = Array.Empty<string>(),
            redactPii = true,
            redactPiiPolicies = new[] { "email", "phone_number", "credit_card_number", "person_name" },
            redactPiiNames = new[] { "Anand Kumar" },
            keepUnredacted = true,
        });
        var job = await jobs.WaitUntilFinishedAsync(jobId);

        Assert.Equal("succeeded", job.GetProperty("status").GetString());
        Assert.True(job.GetProperty("redactPii").GetBoolean());
        Assert.Equal(["credit_card_number", "email", "person_name", "phone_number"], job.GetProperty("redactPiiPolicies").EnumerateArray().Select(p => p.GetString()).Order());
        Assert.DoesNotContain("Anand", job.GetRawText(), StringComparison.OrdinalIgnoreCase);
        var transcript = await client.JsonAsync($"/api/v1/jobs/{jobId}/transcription");
        Assert.Equal(
            "my email is [EMAIL] call [PHONE_NUMBER] card [CREDIT_CARD_NUMBER] and [EMAIL] ask [PERSON_NAME] about it damn",
            transcript.GetProperty("text").GetString());
        var spans = transcript.GetProperty("redactions").EnumerateArray()
            .Select(s => (s.GetProperty("start").GetDouble(), s.GetProperty("end").GetDouble(), s.GetProperty("entity").GetString())).ToList();
        Assert.Equal(["email", "phone_number", "credit_card_number", "email", "person_name"], spans.Select(s => s.Item3));

        // Neither search nor captions nor exports know the originals.
        foreach (var word in new[] { "doe", "example", "kumar", "4111" })
        {
            Assert.Empty((await client.JsonAsync($"/api/v1/search?q={word}")).GetProperty("items").EnumerateArray());
        }

        Assert.DoesNotContain("doe", await client.GetStringAsync(new Uri($"/api/v1/jobs/{jobId}/subtitles", UriKind.Relative)), StringComparison.Ordinal);
        Assert.DoesNotContain("4111", await client.GetStringAsync(new Uri($"/api/v1/jobs/{jobId}/export?format=json", UriKind.Relative)), StringComparison.Ordinal);

        // The original is kept as asked, for keys with the pii scope only.
        var transcriptionId = transcript.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(new Uri($"/api/v1/transcriptions/{transcriptionId}/unredacted", UriKind.Relative))).StatusCode);
        var (_, piiKey) = await TenantApi.CreateKeyAsync(factory.CreateClient(), tenant, "read", "pii");
        var original = await factory.CreateClient(piiKey).JsonAsync($"/api/v1/transcriptions/{transcriptionId}/unredacted");
        // (fillers are dropped before redaction: disfluencies is false by default)
        Assert.Equal(string.Join(' ', Said.Select(s => s.Text)).Replace("uh ", string.Empty, StringComparison.Ordinal), original.GetProperty("text").GetString());

        // The redacted audio: as long as the media, a 1 kHz tone exactly where each entity was said, and no tone elsewhere.
        var audio = await client.GetAsync(new Uri($"/api/v1/jobs/{jobId}/redacted-audio", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, audio.StatusCode);
        Assert.Equal("audio/wav", audio.Content.Headers.ContentType?.MediaType);
        var (rate, samples) = Pcm.Read(await audio.Content.ReadAsByteArrayAsync());
        var (originalRate, originalSamples) = Pcm.Read(await File.ReadAllBytesAsync(path));
        Assert.Equal(originalSamples.Length / (double)originalRate, samples.Length / (double)rate, 2);
        foreach (var (start, end, _) in spans)
        {
            Assert.True(Pcm.ToneShare(samples, rate, start + 0.01, end - 0.01, 1000) > 0.95, $"no tone at {start}-{end}");
        }

        Assert.True(Pcm.ToneShare(samples, rate, 0.0, 0.55, 1000) < 0.2, "a tone where nothing was redacted");
    }

    [Fact]
    public async Task A_job_that_did_not_redact_has_no_redacted_audio_and_no_unredacted_text()
    {
        var client = factory.CreateClient();
        var jobs = new JobClient(client);
        var jobId = await jobs.SubmitAsync(await jobs.UploadAsync(SpeechSamples.Librivox()[0].Path, "audio/wav"), new { engine = "openai", analyses = Array.Empty<string>() });
        Assert.Equal("succeeded", (await jobs.WaitUntilFinishedAsync(jobId)).GetProperty("status").GetString());
        var transcript = await client.JsonAsync($"/api/v1/jobs/{jobId}/transcription");

        var audio = await (await client.GetAsync(new Uri($"/api/v1/jobs/{jobId}/redacted-audio", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.Conflict);
        var unredacted = await (await client.GetAsync(new Uri($"/api/v1/transcriptions/{transcript.GetProperty("id").GetGuid()}/unredacted", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("transcription.not_redacted", audio.GetProperty("code").GetString());
        Assert.Equal("transcription.unredacted_not_kept", unredacted.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, transcript.GetProperty("redactions").ValueKind);
    }

    [Fact]
    public async Task Fillers_are_kept_with_disfluencies_and_profanity_is_masked_with_filter_profanity()
    {
        var jobs = new JobClient(factory.CreateClient());
        var media = await jobs.UploadAsync(SpeechSamples.Librivox()[0].Path, "audio/wav");

        var plain = await jobs.SubmitAsync(media, new { engine = "openai", analyses = Array.Empty<string>() });
        var filtered = await jobs.SubmitAsync(media, new { engine = "openai", analyses = Array.Empty<string>(), disfluencies = true, filterProfanity = true });
        var job = await jobs.WaitUntilFinishedAsync(filtered);
        await jobs.WaitUntilFinishedAsync(plain);

        Assert.True(job.GetProperty("disfluencies").GetBoolean() && job.GetProperty("filterProfanity").GetBoolean());
        Assert.EndsWith("uh ask anand kumar about it d***", (await jobs.GetAsync($"/api/v1/jobs/{filtered}/transcription")).GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(" ask anand kumar about it damn", (await jobs.GetAsync($"/api/v1/jobs/{plain}/transcription")).GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(" uh ", (await jobs.GetAsync($"/api/v1/jobs/{plain}/transcription")).GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_custom_vocabulary_goes_to_the_engine_as_its_prompt_and_sets_how_its_words_are_spelled()
    {
        var jobs = new JobClient(factory.CreateClient());
        var media = await jobs.UploadAsync(SpeechSamples.Librivox()[0].Path, "audio/wav");

        var jobId = await jobs.SubmitAsync(media, new { engine = "openai", analyses = Array.Empty<string>(), vocabulary = new[] { "Anand", "Kubernetes" } });

        Assert.Equal("succeeded", (await jobs.WaitUntilFinishedAsync(jobId)).GetProperty("status").GetString());
        Assert.Contains(factory.Whisper.Requests, r => r.TryGetValue("prompt", out var prompt) && prompt == "Anand, Kubernetes");
        Assert.Contains("ask Anand kumar", (await jobs.GetAsync($"/api/v1/jobs/{jobId}/transcription")).GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(["Anand", "Kubernetes"], (await jobs.GetAsync($"/api/v1/jobs/{jobId}")).GetProperty("vocabulary").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task A_vocabulary_of_more_than_a_thousand_terms_is_a_400_naming_it()
    {
        var problem = await (await factory.CreateClient().PostAsJsonAsync("/api/v1/jobs", new
        {
            mediaId = Guid.CreateVersion7(),
            vocabulary = Enumerable.Range(0, 1001).Select(i => $"term{i}"),
        })).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("vocabulary", out _), problem.GetRawText());
    }

    [Theory]
    [InlineData("""{"vocabulary":["ok","tab\tin"]}""", "vocabulary[1]")]
    [InlineData("""{"vocabulary":["---"]}""", "vocabulary[0]")]
    [InlineData("""{"audioStartFrom":-1}""", "audioStartFrom")]
    [InlineData("""{"speakerLabels":true,"speakersExpected":11}""", "speakersExpected")]
    [InlineData("""{"speakersExpected":2}""", "speakerLabels")]
    [InlineData("""{"speakerLabels":true,"minSpeakers":3,"maxSpeakers":2}""", "maxSpeakers")]
    [InlineData("""{"audioStartFrom":5000,"audioEndAt":4000}""", "audioEndAt")]
    [InlineData("""{"kind":"analysis","analyses":["summary"],"audioEndAt":4000}""", "audioStartFrom")]
    [InlineData("""{"redactPii":true,"redactPiiPolicies":["email","passport"]}""", "redactPiiPolicies[1]")]
    [InlineData("""{"redactPiiPolicies":["email"]}""", "redactPii")]
    [InlineData("""{"redactPii":true,"redactPiiSub":"stars"}""", "redactPiiSub")]
    [InlineData("""{"redactPii":true,"redactPiiPolicies":["person_name"]}""", "redactPiiNames")]
    [InlineData("""{"redactPii":true,"redactPiiNames":["bell\u0007"]}""", "redactPiiNames[0]")]
    public async Task Bad_redaction_and_transcript_options_are_a_400_naming_the_field(string options, string field)
    {
        var body = JsonDocument.Parse(options).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
        body["mediaId"] = Guid.CreateVersion7();

        var problem = await (await factory.CreateClient().PostAsJsonAsync("/api/v1/jobs", body)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    public sealed class FixedEngineFactory : ProcessingFactory
    {
        public WhisperCompatibleServer Whisper { get; } = new(new
        {
            task = "transcribe",
            language = "english",
            duration = 7.0,
            text = string.Join(' ', Said.Select(s => s.Text)),
            segments = Said.Select((s, i) => new { id = i, start = s.Start, end = s.End, text = " " + s.Text, avg_logprob = -0.1 }),
            words = Said.SelectMany(s =>
            {
                var words = s.Text.Split(' ');
                var step = (s.End - s.Start) / words.Length;
                return words.Select((w, i) => new { word = w, start = Math.Round(s.Start + (i * step), 3), end = Math.Round(s.Start + ((i + 1) * step), 3) });
            }),
        });

        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
            base.Settings().Concat(new Dictionary<string, string?>
            {
                ["Transcription:OpenAi:BaseUrl"] = Whisper.BaseAddress.ToString(),
                ["Transcription:OpenAi:Model"] = "fixed",
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

/// <summary>16-bit PCM WAV read back, and how much of a stretch's energy is one frequency (Goertzel).</summary>
internal static class Pcm
{
    public static (int Rate, short[] Samples) Read(byte[] wav)
    {
        var rate = BitConverter.ToInt32(wav, 24);
        var channels = BitConverter.ToInt16(wav, 22);
        var offset = 12;
        while (System.Text.Encoding.ASCII.GetString(wav, offset, 4) != "data")
        {
            offset += 8 + BitConverter.ToInt32(wav, offset + 4);
        }

        var length = Math.Min(BitConverter.ToInt32(wav, offset + 4), wav.Length - offset - 8);
        var samples = new short[length / 2 / channels];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BitConverter.ToInt16(wav, offset + 8 + (i * 2 * channels));
        }

        return (rate, samples);
    }

    public static double ToneShare(short[] samples, int rate, double from, double to, double hz)
    {
        double re = 0, im = 0, energy = 0;
        var first = (int)(from * rate);
        var last = Math.Min(samples.Length, (int)(to * rate));
        for (var i = first; i < last; i++)
        {
            re += samples[i] * Math.Cos(2 * Math.PI * hz * i / rate);
            im += samples[i] * Math.Sin(2 * Math.PI * hz * i / rate);
            energy += (double)samples[i] * samples[i];
        }

        return energy == 0 ? 0 : 2 * ((re * re) + (im * im)) / (last - first) / energy;
    }
}
