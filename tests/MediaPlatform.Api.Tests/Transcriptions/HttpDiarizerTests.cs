using System.Net;
using System.Text;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Api.Tests.Processing;
using MediaPlatform.TestSupport.Http;
using MediaPlatform.TestSupport.Media;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace MediaPlatform.Api.Tests.Transcriptions;

/// <summary>Diarization__Url: the speakers come from an operator's diarization server (a real HTTP peer on loopback).</summary>
[Collection(ProcessingCollection.Name)]
public sealed class HttpDiarizerTests(HttpDiarizerTests.DiarizationServerFactory factory) : IClassFixture<HttpDiarizerTests.DiarizationServerFactory>
{
    [Fact]
    public async Task A_configured_diarization_server_decides_who_spoke_when()
    {
        var jobs = new JobClient(factory.CreateClient());
        var (path, _) = SpeechSamples.Librivox()[0]; // 7.1 s

        var (_, transcript) = await jobs.TranscribeAsync(path, new { speakerLabels = true, speakersExpected = 2, analyses = Array.Empty<string>() });

        var words = transcript.GetProperty("segments").EnumerateArray().SelectMany(s => s.GetProperty("words").EnumerateArray()).ToList();
        Assert.NotEmpty(words);
        // The server's "bob" speaks first (S1) until 3.5 s, "alice" after (S2).
        Assert.All(words, w => Assert.Equal(
            (w.GetProperty("start").GetDouble() + w.GetProperty("end").GetDouble()) / 2 < 3.5 ? "S1" : "S2", w.GetProperty("speaker").GetString()));
        var request = Assert.Single(factory.Requests);
        Assert.Equal("2", request["num_speakers"]);
        Assert.True(int.Parse(request["file"], System.Globalization.CultureInfo.InvariantCulture) > 200_000, "the audio was not sent");
    }

    public sealed class DiarizationServerFactory : ProcessingFactory
    {
        private readonly LocalHttpServer _server;

        public DiarizationServerFactory() => _server = new LocalHttpServer(HandleAsync);

        public List<Dictionary<string, string>> Requests { get; } = [];

        protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
            base.Settings().Append(new("Diarization:Url", $"http://127.0.0.1:{_server.Port}/diarize"));

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                _server.Dispose();
            }
        }

        private async Task HandleAsync(HttpListenerContext context)
        {
            var fields = new Dictionary<string, string>();
            var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(context.Request.ContentType).Boundary).ToString();
            var reader = new MultipartReader(boundary, context.Request.InputStream);
            for (var section = await reader.ReadNextSectionAsync(); section is not null; section = await reader.ReadNextSectionAsync())
            {
                var disposition = section.GetContentDispositionHeader()!;
                using var body = new MemoryStream();
                await section.Body.CopyToAsync(body);
                fields[disposition.Name.Value!] = disposition.IsFileDisposition() ? body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) : Encoding.UTF8.GetString(body.ToArray());
            }

            lock (Requests)
            {
                Requests.Add(fields);
            }

            var answer = Encoding.UTF8.GetBytes("""{ "turns": [ { "start": 3.5, "end": 7.1, "speaker": "alice" }, { "start": 0.0, "end": 3.5, "speaker": "bob" } ] }""");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(answer);
        }
    }
}
