using System.Globalization;
using System.Text;
using MediaPlatform.Api.Auth;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Jobs;
using MediaPlatform.Application.Jobs.GetJob;
using MediaPlatform.Application.Jobs.SubmitJob;
using MediaPlatform.Application.Media.DeleteMedia;
using MediaPlatform.Application.Media.GetMedia;
using MediaPlatform.Application.Media.UploadMedia;
using MediaPlatform.Application.Transcriptions;
using MediaPlatform.Application.Transcriptions.GetJobTranscription;
using MediaPlatform.Application.Transcriptions.GetSubtitles;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;
using MediatR;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MediaPlatform.Api.Endpoints;

/// <summary>The <c>OpenAiApi</c> configuration section.</summary>
public sealed class OpenAiApiOptions
{
    public const string SectionName = "OpenAiApi";

    /// <summary>How long <c>POST /v1/audio/transcriptions</c> waits for its job; past it the answer is 202 with the job's location.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3600)]
    public int WaitSeconds { get; set; } = 600;
}

/// <summary>
/// OpenAI's <c>POST /v1/audio/transcriptions</c> and <c>GET /v1/models</c>, for the tools that speak only that API (every
/// OpenAI SDK, Open WebUI, LangChain...). A request runs a real job through the queue (limits, retries and retention
/// apply), waits for it, and answers in OpenAI's shapes; errors on these paths use OpenAI's error shape. <c>model</c>
/// picks the engine; <c>whisper-1</c> means the default one.
/// </summary>
internal static class OpenAiEndpoints
{
    private const string DefaultModel = "whisper-1";
    private static readonly string[] Formats = ["json", "text", "srt", "vtt", "verbose_json"];
    private static readonly Dictionary<string, string> LanguageNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "english", ["de"] = "german", ["fr"] = "french", ["es"] = "spanish", ["it"] = "italian", ["nl"] = "dutch",
        ["pt"] = "portuguese", ["ru"] = "russian", ["zh"] = "chinese", ["ja"] = "japanese",
    };

    public static IEndpointRouteBuilder MapOpenAiEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("OpenAI-compatible");

        v1.MapPost("/audio/transcriptions", TranscribeAsync)
            .WithName("OpenAiCreateTranscription")
            .RequireScope(ApiScopes.Write)
            .WithSummary("OpenAI-compatible transcription (multipart: file, model, language, prompt, response_format, temperature, timestamp_granularities[]).")
            .Produces(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status202Accepted)
            .Produces(StatusCodes.Status400BadRequest)
            .DisableAntiforgery();

        v1.MapGet("/models", (ITranscriptionEngineCatalog engines) => Results.Json(new
            {
                @object = "list",
                data = new[] { DefaultModel }.Concat(engines.Names).Select(name => new { id = name, @object = "model", created = 0, owned_by = "mediaplatform" }),
            }))
            .WithName("OpenAiListModels")
            .RequireScope(ApiScopes.Read)
            .WithSummary("The engines as OpenAI models; whisper-1 is the default engine.");

        return app;
    }

    private static async Task<IResult> TranscribeAsync(
        HttpContext context, IMediator mediator, ITranscriptionEngineCatalog engines, MediaLimits limits, IOptions<OpenAiApiOptions> options, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Length == 0)
        {
            return OpenAiError(400, "Send the audio as multipart/form-data with the field 'file'.", "file");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = limits.MaxUploadBytes + MediaEndpoints.MultipartOverheadBytes;
        }

        // Fields may come before or after the file: the file is streamed to the store when it comes, the rest collected.
        var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        Result<Application.Media.MediaAssetDto>? uploaded = null;

        // The caller never asked for a stored medium, only for a transcript: a refused request leaves none behind.
        async Task<IResult> RefuseAsync(IResult refusal)
        {
            if (uploaded is { IsSuccess: true } stored)
            {
                await mediator.Send(new DeleteMediaCommand(stored.Value.Id), CancellationToken.None);
            }

            return refusal;
        }

        var reader = new MultipartReader(HeaderUtilities.RemoveQuotes(contentType.Boundary).ToString(), context.Request.Body);
        for (var section = await MediaEndpoints.NextSectionAsync(reader, ct); section is not null; section = await MediaEndpoints.NextSectionAsync(reader, ct))
        {
            if (section.GetContentDispositionHeader() is not { } disposition)
            {
                continue;
            }

            if (disposition.IsFileDisposition() && disposition.Name.Value == "file" && uploaded is null)
            {
                var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : disposition.FileName.Value;
                uploaded = await mediator.Send(new UploadMediaCommand(new UploadBodyStream(section.Body), fileName, section.ContentType), ct);
            }
            else if (disposition.IsFormDisposition() && disposition.Name.Value is { Length: > 0 } name)
            {
                using var value = new StreamReader(section.Body, Encoding.UTF8);
                var text = await value.ReadToEndAsync(ct);
                if (text.Length > 4096)
                {
                    return await RefuseAsync(OpenAiError(400, $"The field '{name}' is too long.", name));
                }

                (fields.TryGetValue(name, out var list) ? list : fields[name] = []).Add(text);
            }
        }

        if (uploaded is null)
        {
            return OpenAiError(400, "The request has no file; send the audio as the field 'file'.", "file");
        }

        if (uploaded.IsFailure)
        {
            return OpenAiError(ErrorResultsStatus(uploaded.Error!), uploaded.Error!.Message, "file", uploaded.Error.Code);
        }

        var model = Field(fields, "model") ?? DefaultModel;
        var format = Field(fields, "response_format") ?? "json";
        var granularities = fields.TryGetValue("timestamp_granularities[]", out var g) ? g : fields.GetValueOrDefault("timestamp_granularities") ?? [];
        var (refused, jobId) = await SubmitAsync(mediator, engines, uploaded.Value.Id, fields, model, format, granularities, ct);
        if (refused is not null)
        {
            return await RefuseAsync(refused);
        }

        var deadline = DateTime.UtcNow.AddSeconds(options.Value.WaitSeconds);
        while (true)
        {
            var job = await mediator.Send(new GetJobQuery(jobId), ct);
            if (job.IsFailure)
            {
                return OpenAiError(404, "The transcription's job was deleted.", null, "job_deleted");
            }

            switch (job.Value.Status)
            {
                case JobStatus.Succeeded:
                    return await AnswerAsync(mediator, jobId, uploaded.Value.Id, format, granularities, ct);
                case JobStatus.Failed:
                    return FailedJob(job.Value.Error, model, Field(fields, "language"));
                case JobStatus.Cancelled:
                    return OpenAiError(409, "The transcription's job was cancelled.", null, "job_cancelled");
            }

            if (DateTime.UtcNow > deadline)
            {
                context.Response.Headers.Location = $"/api/v1/jobs/{jobId}";
                return Results.Json(new { id = jobId, status = job.Value.Status.ToString().ToLowerInvariant(), location = $"/api/v1/jobs/{jobId}" }, statusCode: 202);
            }

            await Task.Delay(200, ct);
        }
    }

    /// <summary>The request's fields checked and its job submitted: the job's id, or the refusal to answer with.</summary>
    private static async Task<(IResult? Refused, Guid JobId)> SubmitAsync(
        IMediator mediator, ITranscriptionEngineCatalog engines, Guid mediaId, Dictionary<string, List<string>> fields, string model, string format,
        List<string> granularities, CancellationToken ct)
    {
        if (!Formats.Contains(format, StringComparer.Ordinal))
        {
            return (OpenAiError(400, $"response_format must be one of {string.Join(", ", Formats)}.", "response_format"), default);
        }

        if (granularities.Any(x => x is not ("word" or "segment")))
        {
            return (OpenAiError(400, "timestamp_granularities[] may hold word and segment.", "timestamp_granularities[]"), default);
        }

        if (Field(fields, "temperature") is { } t && (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var temperature) || temperature is < 0 or > 1))
        {
            return (OpenAiError(400, "temperature must be a number between 0 and 1.", "temperature"), default);
        }

        string? engine = model == DefaultModel ? null : model;
        if (engine is not null && engines.Find(engine) is null)
        {
            return (OpenAiError(404, $"The model '{model}' does not exist; GET /v1/models lists them.", "model", "model_not_found"), default);
        }

        var submitted = await mediator.Send(new SubmitJobCommand(mediaId, JobKind.Transcription, Field(fields, "language"), [], engine), ct);
        if (submitted.IsFailure)
        {
            return (submitted.Error!.Code == ITranscriptionEngine.LanguageUnsupportedCode
                ? LanguageUnsupportedError(model, Field(fields, "language"))
                : OpenAiError(ErrorResultsStatus(submitted.Error), submitted.Error.Message, null, submitted.Error.Code), default);
        }

        return (null, submitted.Value.Id);
    }

    private static async Task<IResult> AnswerAsync(
        IMediator mediator, Guid jobId, Guid mediaId, string format, IReadOnlyCollection<string> granularities, CancellationToken ct)
    {
        if (format is "srt" or "vtt")
        {
            var captions = await mediator.Send(new GetSubtitlesQuery(jobId, format == "srt" ? SubtitleFormat.Srt : SubtitleFormat.Vtt), ct);
            return captions.IsSuccess ? Results.Text(captions.Value, "text/plain", Encoding.UTF8) : OpenAiError(500, captions.Error!.Message, null, captions.Error.Code);
        }

        var found = await mediator.Send(new GetJobTranscriptionQuery(jobId), ct);
        if (found.IsFailure)
        {
            return OpenAiError(500, found.Error!.Message, null, found.Error.Code);
        }

        var transcript = found.Value;
        if (format == "text")
        {
            return Results.Text(transcript.Text + "\n", "text/plain", Encoding.UTF8);
        }

        if (format == "json")
        {
            return Results.Json(new { text = transcript.Text });
        }

        var media = await mediator.Send(new GetMediaQuery(mediaId), ct);
        var mediaSeconds = media.IsSuccess ? media.Value.DurationSeconds : null;
        var segments = granularities.Count == 0 || granularities.Contains("segment");
        var words = granularities.Contains("word");
        return Results.Json(new Dictionary<string, object?>
        {
            ["task"] = "transcribe",
            ["language"] = LanguageNames.GetValueOrDefault(transcript.Language.Split('-')[0], transcript.Language),
            ["duration"] = mediaSeconds ?? transcript.Segments.LastOrDefault()?.End ?? 0,
            ["text"] = transcript.Text,
            ["segments"] = segments ? transcript.Segments.Select((s, i) => Segment(s, i)).ToList() : null,
            ["words"] = words ? transcript.Segments.SelectMany(s => s.Words).Select(w => new { word = w.Text, start = w.Start, end = w.End }).ToList() : null,
        }.Where(p => p.Value is not null).ToDictionary());
    }

    /// <summary>A segment in OpenAI's shape; <c>avg_logprob</c> is the log of the engine's confidence (what it comes nearest to).</summary>
    private static object Segment(SegmentDto s, int index) => new
    {
        id = index,
        seek = 0,
        start = s.Start,
        end = s.End,
        text = s.Text,
        tokens = Array.Empty<int>(),
        temperature = 0.0,
        avg_logprob = Math.Log(Math.Clamp(s.Confidence, 1e-6, 1)),
        compression_ratio = 1.0,
        no_speech_prob = 0.0,
    };

    /// <summary>
    /// A job that failed for good: what the caller sent (a file that is not audio, a language the model lacks) is a 400
    /// they can act on, anything else the server's 500.
    /// </summary>
    private static IResult FailedJob(JobErrorDto? error, string model, string? language) => error?.Code switch
    {
        // Refused at submission by this service's engines; a worker configured otherwise may still fail the job so.
        ITranscriptionEngine.LanguageUnsupportedCode => LanguageUnsupportedError(model, language),
        "media.undecodable" or "media.unsupported" or "media.no_audio" or "media.too_long" or "media.rejected" or "media.extract_failed" =>
            OpenAiError(400, error.Message, "file", error.Code),
        _ => OpenAiError(500, error?.Message ?? "The transcription failed.", null, error?.Code),
    };

    private static IResult LanguageUnsupportedError(string model, string? language) => OpenAiError(
        400, $"The model '{model}' cannot transcribe '{language}'; GET /v1/models lists the models, and a Whisper-compatible one can (when the service has one configured).", "language", ITranscriptionEngine.LanguageUnsupportedCode);

    private static string? Field(Dictionary<string, List<string>> fields, string name) =>
        fields.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrWhiteSpace(values[^1]) ? values[^1].Trim() : null;

    private static int ErrorResultsStatus(Error error) => Errors.ErrorResults.StatusFor(error.Type);

    /// <summary>OpenAI's error shape: <c>{ error: { message, type, param, code } }</c>.</summary>
    private static IResult OpenAiError(int status, string message, string? param, string? code = null) => Results.Json(
        new { error = new { message, type = status >= 500 ? "server_error" : "invalid_request_error", param, code } },
        statusCode: status);
}
