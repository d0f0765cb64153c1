using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing;
using MediaPlatform.Domain.Jobs;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Diarization;

/// <summary>Where an operator's diarization server is (<c>Diarization__Url</c>); without it the offline diarizer runs.</summary>
public sealed class DiarizationOptions
{
    public const string SectionName = "Diarization";

    /// <summary>The server's endpoint, e.g. <c>http://diarizer:8000/diarize</c>.</summary>
    public string? Url { get; set; }

    public string? ApiKey { get; set; }

    public int TimeoutSeconds { get; set; } = 900;
}

/// <summary>
/// <see cref="IDiarizer"/> over HTTP, for a stronger model on other hardware (pyannote behind a small server): posts
/// the WAV as multipart <c>file</c> with <c>num_speakers</c> or <c>min_speakers</c>/<c>max_speakers</c>, and reads
/// <c>{ "turns": [ { "start", "end", "speaker" } ] }</c>. Its labels are renamed S1, S2... in order of first speech;
/// turns outside the recognised speech are kept (the words take the turn they fall in).
/// </summary>
internal sealed class HttpDiarizer(HttpClient http, IOptions<DiarizationOptions> options) : IDiarizer
{
    public async Task<IReadOnlyList<SpeakerTurn>> DiarizeAsync(
        string wavPath, IReadOnlyList<(double Start, double End)> speech, SpeakerLabels speakers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(speakers);
        var settings = options.Value;
        await using var audio = File.OpenRead(wavPath);
        using var form = new MultipartFormDataContent { { new StreamContent(audio) { Headers = { ContentType = new MediaTypeHeaderValue("audio/wav") } }, "file", "audio.wav" } };
        if (speakers.Expected is { } expected)
        {
            form.Add(new StringContent(expected.ToString(CultureInfo.InvariantCulture)), "num_speakers");
        }
        else
        {
            form.Add(new StringContent(speakers.Fewest.ToString(CultureInfo.InvariantCulture)), "min_speakers");
            form.Add(new StringContent(speakers.Most.ToString(CultureInfo.InvariantCulture)), "max_speakers");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url) { Content = form };
        if (!string.IsNullOrEmpty(settings.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, limit.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new MediaProcessingException("diarization.unreachable", "The diarization server did not answer.", isTransient: true, ex) { Detail = ex.Message };
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new MediaProcessingException(
                    "diarization.failed", $"The diarization server answered {(int)response.StatusCode}.", isTransient: (int)response.StatusCode >= 500);
            }

            try
            {
                using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(limit.Token), cancellationToken: limit.Token);
                var names = new Dictionary<string, string>(StringComparer.Ordinal);
                return [.. body.RootElement.GetProperty("turns").EnumerateArray()
                    .Select(t => (Start: t.GetProperty("start").GetDouble(), End: t.GetProperty("end").GetDouble(), Speaker: t.GetProperty("speaker").ToString()))
                    .Where(t => t.End > t.Start)
                    .OrderBy(t => t.Start)
                    .Select(t =>
                    {
                        if (!names.TryGetValue(t.Speaker, out var name))
                        {
                            names[t.Speaker] = name = $"S{names.Count + 1}";
                        }

                        return new SpeakerTurn(t.Start, t.End, name);
                    })];
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new MediaProcessingException("diarization.invalid_output", "The diarization server's answer is not a list of turns.", isTransient: false, ex);
            }
        }
    }
}
