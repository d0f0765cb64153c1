using System.Net;
using System.Text;
using MediaPlatform.Api.Tests.Access;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Api.Tests.Processing;
using MediaPlatform.TestSupport.Media;

namespace MediaPlatform.Api.Tests.Transcriptions;

/// <summary>
/// speakerLabels end to end: a conversation of two espeak-ng voices through a real job, scored with DER against who
/// really spoke; the labels reach sentences, captions (WebVTT voice tags) and exports, and named speakers replace them.
/// </summary>
[Collection(ProcessingCollection.Name)]
public sealed class SpeakerLabelTests(ProcessingFactory factory) : IClassFixture<ProcessingFactory>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("speakers-").FullName;

    [Fact]
    public async Task A_two_voice_conversation_gets_speaker_labels_that_reach_captions_exports_and_names()
    {
        var (path, reference) = Conversations.Build(_folder, Conversations.TwoSpeakers());
        var client = factory.CreateClient();
        var jobs = new JobClient(client);

        var (jobId, transcript) = await jobs.TranscribeAsync(path, new { speakerLabels = true, analyses = Array.Empty<string>() });

        Assert.True((await client.JsonAsync($"/api/v1/jobs/{jobId}")).GetProperty("speakerLabels").GetBoolean());
        var segments = transcript.GetProperty("segments").EnumerateArray().ToList();
        Assert.All(segments, s => Assert.Matches("^S[0-9]+$", s.GetProperty("speaker").GetString()!));
        Assert.All(segments.SelectMany(s => s.GetProperty("words").EnumerateArray().Select(w => (s, w))),
            x => Assert.Equal(x.s.GetProperty("speaker").GetString(), x.w.GetProperty("speaker").GetString()));
        var hypothesis = segments.Select(s => new Conversations.Turn(s.GetProperty("speaker").GetString()!, s.GetProperty("start").GetDouble(), s.GetProperty("end").GetDouble())).ToList();
        var der = DiarizationErrorRate.Score(reference, hypothesis);
        Assert.True(der <= 0.20, $"DER {der:P1}: {string.Join(", ", hypothesis.Select(h => $"{h.Speaker} {h.Start:0.0}-{h.End:0.0}"))} against {string.Join(", ", reference.Select(h => $"{h.Speaker} {h.Start:0.0}-{h.End:0.0}"))}");
        Assert.Equal(["S1", "S2"], hypothesis.Select(h => h.Speaker).Distinct().Order());

        var id = transcript.GetProperty("id").GetGuid();
        var sentences = await client.JsonAsync($"/api/v1/transcriptions/{id}/sentences");
        Assert.All(sentences.GetProperty("items").EnumerateArray(), s => Assert.StartsWith("S", s.GetProperty("speaker").GetString(), StringComparison.Ordinal));
        Assert.Contains("<v S1>", await client.GetStringAsync(new Uri($"/api/v1/jobs/{jobId}/subtitles", UriKind.Relative)), StringComparison.Ordinal);

        using var name = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/transcriptions/{id}")
        {
            Content = new StringContent("""{"speakers":{"S1":"Alice","S2":"Bob"}}""", Encoding.UTF8, "application/json"),
        };
        name.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(name)).StatusCode);

        var vtt = await client.GetStringAsync(new Uri($"/api/v1/jobs/{jobId}/subtitles", UriKind.Relative));
        var txt = await client.GetStringAsync(new Uri($"/api/v1/jobs/{jobId}/export?format=txt", UriKind.Relative));
        Assert.Contains("<v Alice>", vtt, StringComparison.Ordinal);
        Assert.Contains("<v Bob>", vtt, StringComparison.Ordinal);
        Assert.DoesNotContain("<v S1>", vtt, StringComparison.Ordinal);
        Assert.StartsWith("Alice: ", txt, StringComparison.Ordinal);
        Assert.Contains("\n\nBob: ", txt, StringComparison.Ordinal);
        Assert.Equal("Alice", (await client.JsonAsync($"/api/v1/transcriptions/{id}")).GetProperty("speakers").GetProperty("S1").GetString());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
