using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing;
using MediaPlatform.Domain.Transcriptions;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Transcriptions;

/// <summary>
/// Speaks the OpenAI audio API, <c>POST /v1/audio/transcriptions</c> with <c>response_format=verbose_json</c> and
/// segment and word timestamps, so an operator can point the platform at a Whisper server (faster-whisper-server,
/// whisper.cpp's server, LocalAI, or OpenAI itself).
/// </summary>
internal sealed class OpenAiCompatibleEngine(HttpClient http, IOptions<TranscriptionOptions> options) : ITranscriptionEngine
{
    public const string EngineName = "openai";

    public string Name => EngineName;

    public bool IsAvailable => !string.IsNullOrWhiteSpace(options.Value.OpenAi.BaseUrl);

    /// <summary>Whisper's models know about a hundred languages; the server answers for the one it is asked.</summary>
    public bool Transcribes(string language) => true;

    public async Task<EngineTranscript> TranscribeAsync(
        string wavPath, TimeSpan duration, TimeSpan leadIn, string? language, IProgress<double> progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var settings = options.Value.OpenAi;
        if (string.IsNullOrWhiteSpace(settings.BaseUrl))
        {
            throw new MediaProcessingException("engine.unavailable", "The 'openai' engine is not configured (Transcription:OpenAi:BaseUrl).", isTransient: false);
        }

        await using var audio = File.OpenRead(wavPath);
        using var form = new MultipartFormDataContent
        {
            { new StreamContent(audio) { Headers = { ContentType = new MediaTypeHeaderValue("audio/wav") } }, "file", "audio.wav" },
            { new StringContent(settings.Model), "model" },
            { new StringContent("verbose_json"), "response_format" },
            { new StringContent("segment"), "timestamp_granularities[]" },
            { new StringContent("word"), "timestamp_granularities[]" },
        };
        if (language is not null)
        {
            form.Add(new StringContent(language.Split('-')[0].ToLowerInvariant()), "language");
        }

        if (TranscriptionHints.Vocabulary is { Count: > 0 } vocabulary)
        {
            // Whisper-style servers read the prompt as preceding text: the terms spelled as the job wants them.
            var prompt = string.Join(", ", vocabulary);
            form.Add(new StringContent(prompt.Length > 800 ? prompt[..800] : prompt), "prompt");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(settings.BaseUrl.TrimEnd('/') + "/"), "v1/audio/transcriptions")) { Content = form };
        if (!string.IsNullOrEmpty(settings.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token);
        }
        catch (HttpRequestException ex)
        {
            throw new MediaProcessingException("engine.unreachable", "The transcription server did not answer.", isTransient: true, ex) { Detail = $"{settings.BaseUrl}: {ex.Message}" };
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaProcessingException("engine.timeout", $"The transcription server did not answer within {settings.TimeoutSeconds} s.", isTransient: true, ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var transient = response.StatusCode is HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError;
                throw new MediaProcessingException(
                    "engine.failed", $"The transcription server answered {(int)response.StatusCode}.", transient) { Detail = Truncate(body) };
            }

            progress.Report(1);
            return Parse(body, settings.Model, language);
        }
    }

    /// <summary>Reads verbose_json: <c>segments[]</c> (start, end, text, avg_logprob) and <c>words[]</c> (word, start, end).</summary>
    internal static EngineTranscript Parse(string json, string model, string? requestedLanguage)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var words = root.TryGetProperty("words", out var w) && w.ValueKind == JsonValueKind.Array
            ? w.EnumerateArray().Select(x => new Word(
                x.GetProperty("word").GetString()!.Trim(),
                x.GetProperty("start").GetDouble(),
                x.GetProperty("end").GetDouble(),
                x.TryGetProperty("probability", out var p) ? Math.Clamp(p.GetDouble(), 0, 1) : 1)).ToList()
            : [];
        var segments = new List<Segment>();
        if (root.TryGetProperty("segments", out var s) && s.ValueKind == JsonValueKind.Array)
        {
            foreach (var segment in s.EnumerateArray())
            {
                var start = segment.GetProperty("start").GetDouble();
                var end = segment.GetProperty("end").GetDouble();
                var confidence = segment.TryGetProperty("avg_logprob", out var logprob) ? Math.Clamp(Math.Exp(logprob.GetDouble()), 0, 1) : 1;
                var inside = words.Where(x => x.Start >= start && x.Start < end).ToList();
                var previousEnd = segments.Count > 0 ? segments[^1].End : 0;
                start = Math.Max(start, previousEnd);
                segments.Add(new Segment(start, Math.Max(start, end), segment.GetProperty("text").GetString()!.Trim(), Math.Round(confidence, 4), inside));
            }
        }
        else if (root.TryGetProperty("text", out var text))
        {
            segments.Add(new Segment(0, words.Count > 0 ? words[^1].End : 0, text.GetString()!.Trim(), 1, words));
        }

        var language = root.TryGetProperty("language", out var l) ? l.GetString() : requestedLanguage;
        return new EngineTranscript(segments, model, NormalizeLanguage(language ?? "und"));
    }

    // Whisper reports the language by name ("english"); the platform stores tags. The service runs with invariant
    // globalization, so the common names are listed here rather than looked up in CultureInfo.
    private static readonly Dictionary<string, string> _languageTags = new(StringComparer.OrdinalIgnoreCase)
    {
        ["english"] = "en", ["german"] = "de", ["french"] = "fr", ["spanish"] = "es", ["italian"] = "it", ["portuguese"] = "pt",
        ["dutch"] = "nl", ["russian"] = "ru", ["polish"] = "pl", ["ukrainian"] = "uk", ["chinese"] = "zh", ["japanese"] = "ja",
        ["korean"] = "ko", ["arabic"] = "ar", ["hindi"] = "hi", ["turkish"] = "tr", ["swedish"] = "sv", ["norwegian"] = "no",
        ["danish"] = "da", ["finnish"] = "fi", ["czech"] = "cs", ["greek"] = "el", ["hebrew"] = "he", ["vietnamese"] = "vi",
    };

    private static string NormalizeLanguage(string language) =>
        _languageTags.TryGetValue(language, out var tag) ? tag : language[..Math.Min(language.Length, 16)];

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "..." : text;
}
