using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MediaPlatform.Infrastructure.Transcriptions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace MediaPlatform.TestSupport.Http;

/// <summary>
/// A server speaking the OpenAI transcription protocol (<c>POST /v1/audio/transcriptions</c>, verbose_json) whose
/// transcripts come from really decoding the uploaded audio with pocketsphinx: a protocol peer for the platform's
/// OpenAI-compatible engine that returns no canned text. It records what each request sent.
/// </summary>
public sealed class WhisperCompatibleServer : IDisposable
{
    private readonly LocalHttpServer _server;
    private readonly Func<string, Task<object>> _transcribe;

    public WhisperCompatibleServer()
        : this(DecodeAsync)
    {
    }

    /// <summary>
    /// A server that answers every request with <paramref name="fixedTranscript"/> (a verbose_json body): an engine
    /// with a known output, for tests whose expectations must not depend on recognition.
    /// </summary>
    public WhisperCompatibleServer(object fixedTranscript)
        : this(_ => Task.FromResult(fixedTranscript))
    {
    }

    private WhisperCompatibleServer(Func<string, Task<object>> transcribe)
    {
        _transcribe = transcribe;
        _server = new LocalHttpServer(HandleAsync);
    }

    public Uri BaseAddress => _server.BaseAddress;

    /// <summary>The form fields of every transcription request received (file replaced by its size).</summary>
    public List<Dictionary<string, string>> Requests { get; } = [];

    public void Dispose() => _server.Dispose();

    private async Task HandleAsync(HttpListenerContext context)
    {
        if (context.Request.HttpMethod != "POST" || context.Request.Url!.AbsolutePath != "/v1/audio/transcriptions")
        {
            context.Response.StatusCode = 404;
            return;
        }

        var fields = new Dictionary<string, string>();
        var audio = Path.Combine(Path.GetTempPath(), $"whisper-{Guid.NewGuid():N}.wav");
        try
        {
            var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(context.Request.ContentType).Boundary).ToString();
            var reader = new MultipartReader(boundary, context.Request.InputStream);
            for (var section = await reader.ReadNextSectionAsync(); section is not null; section = await reader.ReadNextSectionAsync())
            {
                var disposition = section.GetContentDispositionHeader()!;
                var name = disposition.Name.Value!;
                if (disposition.IsFileDisposition())
                {
                    await using var file = File.Create(audio);
                    await section.Body.CopyToAsync(file);
                    fields[name] = $"{file.Length} bytes";
                }
                else
                {
                    var value = await new StreamReader(section.Body).ReadToEndAsync();
                    fields[name] = fields.TryGetValue(name, out var previous) ? $"{previous},{value}" : value;
                }
            }

            lock (Requests)
            {
                Requests.Add(fields);
            }

            var body = JsonSerializer.Serialize(await _transcribe(audio));
            context.Response.ContentType = "application/json";
            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
        }
        finally
        {
            File.Delete(audio);
        }
    }

    private static async Task<object> DecodeAsync(string wav)
    {
        const string model = "/usr/share/pocketsphinx/model/en-us";
        var start = new ProcessStartInfo("pocketsphinx_continuous")
        {
            ArgumentList = { "-infile", wav, "-hmm", $"{model}/en-us", "-lm", $"{model}/en-us.lm.bin", "-dict", $"{model}/cmudict-en-us.dict", "-time", "yes", "-logfn", "/dev/null" },
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var parser = new PocketSphinxOutputParser();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            parser.Feed(line);
        }

        await process.WaitForExitAsync();
        var segments = parser.Segments;
        return new
        {
            task = "transcribe",
            language = "english",
            duration = segments.Count > 0 ? segments[^1].End : 0,
            text = string.Join(' ', segments.Select(s => s.Text)),
            segments = segments.Select((s, i) => new { id = i, start = s.Start, end = s.End, text = " " + s.Text, avg_logprob = Math.Log(Math.Max(s.Confidence, 1e-6)) }),
            words = segments.SelectMany(s => s.Words).Select(w => new { word = w.Text, start = w.Start, end = w.End }),
        };
    }
}
