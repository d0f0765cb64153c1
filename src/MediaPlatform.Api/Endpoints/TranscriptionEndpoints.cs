using MediaPlatform.Api.Auth;
using MediaPlatform.Api.Errors;
using MediaPlatform.Application.Analyses;
using MediaPlatform.Application.Analyses.ListJobAnalyses;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Application.Transcriptions;
using MediaPlatform.Application.Transcriptions.EditTranscription;
using MediaPlatform.Application.Transcriptions.ExportTranscript;
using MediaPlatform.Application.Transcriptions.GetJobTranscription;
using MediaPlatform.Application.Transcriptions.GetSubtitles;
using MediaPlatform.Application.Transcriptions.GetTranscription;
using MediaPlatform.Application.Transcriptions.Redaction;
using MediaPlatform.Application.Transcriptions.SearchTranscripts;
using MediaPlatform.Application.Transcriptions.TranscriptStructure;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace MediaPlatform.Api.Endpoints;

/// <summary>Results: a job's transcription and analyses, and transcriptions by id.</summary>
internal static class TranscriptionEndpoints
{
    public static IEndpointRouteBuilder MapTranscriptionEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");

        api.MapGet("/jobs/{id:guid}/transcription", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TranscriptionETags.Answer(http, await mediator.Send(new GetJobTranscriptionQuery(id), ct)))
            .WithTags("Transcriptions")
            .WithName("GetJobTranscription")
            .RequireScope(ApiScopes.Read)
            .WithSummary("The transcription a job produced: full text and time-coded segments with words, as edited (ETag: its revision).")
            .Produces<TranscriptionDto>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/jobs/{id:guid}/subtitles", async (
                Guid id, [FromQuery] ApiEnum<SubtitleFormat>? format, [FromQuery] int? charsPerCaption, [FromQuery] int? maxLinesPerCue,
                [FromQuery] double? maxCueSeconds, IMediator mediator, CancellationToken ct) =>
            {
                var chosen = format?.Value ?? SubtitleFormat.Vtt;
                var options = new CaptionOptions(
                    charsPerCaption ?? CaptionOptions.DefaultChars, maxLinesPerCue ?? 1, maxCueSeconds ?? CaptionOptions.DefaultSeconds);
                var result = await mediator.Send(new GetSubtitlesQuery(id, chosen, options), ct);
                return result.IsSuccess
                    ? Results.Text(result.Value, chosen == SubtitleFormat.Vtt ? "text/vtt; charset=utf-8" : "application/x-subrip; charset=utf-8")
                    : ErrorResults.Problem(result.Error!);
            })
            .WithTags("Transcriptions")
            .WithName("GetJobSubtitles")
            .RequireScope(ApiScopes.Read)
            .WithSummary("The job's transcription as captions: format=vtt (WebVTT, default) or srt (SubRip); charsPerCaption (10-200, default 84) bounds a cue's text, maxLinesPerCue (1-3, default 1) its lines, maxCueSeconds (1-30, default 7) its length.")
            .Produces<string>(StatusCodes.Status200OK, "text/vtt", "application/x-subrip")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/jobs/{id:guid}/export", async (Guid id, [FromQuery] ApiEnum<ExportFormat>? format, [FromQuery] bool? timestamps, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new ExportTranscriptQuery(id, format?.Value ?? ExportFormat.Txt, timestamps ?? false), ct);
                if (result.IsFailure)
                {
                    return ErrorResults.Problem(result.Error!);
                }

                var export = result.Value;
                return Results.File(System.Text.Encoding.UTF8.GetBytes(export.Content), export.ContentType, export.FileName);
            })
            .WithTags("Transcriptions")
            .WithName("ExportJobTranscript")
            .RequireScope(ApiScopes.Read)
            .AcceptSessionCookie()
            .WithSummary("The job's transcript as a file to download (Content-Disposition: attachment): format=txt (paragraphs at long pauses; timestamps=true prefixes each with its start), tsv (start, end in ms, text per segment, as whisper writes it), json (the transcription document), srt or vtt.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain", "text/tab-separated-values", "application/json", "application/x-subrip", "text/vtt")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/jobs/{id:guid}/redacted-audio", async (Guid id, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new GetRedactedAudioQuery(id), ct);
                return result.IsSuccess
                    ? Results.Stream(result.Value.Content, "audio/wav", result.Value.FileName)
                    : ErrorResults.Problem(result.Error!);
            })
            .WithTags("Transcriptions")
            .WithName("GetRedactedAudio")
            .RequireScope(ApiScopes.Read)
            .WithSummary("For a job that redacted PII: the media's audio (mono WAV at its own sample rate, the same length) with every redacted entity's time replaced by a 1 kHz tone.")
            .Produces<string>(StatusCodes.Status200OK, "audio/wav")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/transcriptions/{id:guid}/unredacted", async (Guid id, IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(new GetUnredactedTranscriptionQuery(id), ct)))
            .WithTags("Transcriptions")
            .WithName("GetUnredactedTranscription")
            .RequireScope(ApiScopes.Pii)
            .WithSummary("The transcript as the engine wrote it, before PII redaction; kept only when the job asked (keepUnredacted: true), and readable only with a key that has the pii scope.")
            .Produces<TranscriptionDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/search", async (
                [FromQuery] string? q, [FromQuery] Guid? mediaId, [FromQuery] string? language, [FromQuery] DateTimeOffset? createdAfter,
                [FromQuery] int? limit, [FromQuery] string? cursor, IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(
                    new SearchTranscriptsQuery(q, mediaId, language, createdAfter, limit ?? PagingRules.DefaultLimit, cursor), ct)))
            .WithTags("Transcriptions")
            .WithName("SearchTranscripts")
            .RequireScope(ApiScopes.Read)
            .WithSummary("Full-text search across the tenant's transcripts, best match first: q in web-search syntax (\"a phrase\", -excluded, or), English stemming beside the words as written; each hit with its job, transcription and media, the first matching segment's start and end, a snippet with <mark>ed words, and its rank.")
            .Produces<PageDto<SearchHitDto>>()
            .ProducesValidationProblem();

        api.MapGet("/transcriptions/{id:guid}/sentences", async (Guid id, IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(new GetSentencesQuery(id), ct)))
            .WithTags("Transcriptions")
            .WithName("GetTranscriptionSentences")
            .RequireScope(ApiScopes.Read)
            .WithSummary("The transcript's sentences, built from word timings: its utterances, split again at pauses of 0.5 s; each with text, start, end, confidence, words and speaker (null until speakers are known).")
            .Produces<TranscriptSpansDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/transcriptions/{id:guid}/paragraphs", async (Guid id, IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(new GetParagraphsQuery(id), ct)))
            .WithTags("Transcriptions")
            .WithName("GetTranscriptionParagraphs")
            .RequireScope(ApiScopes.Read)
            .WithSummary("The transcript's paragraphs: utterances grouped until a pause of 1.5 s or 120 words, as in the txt export.")
            .Produces<TranscriptSpansDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/transcriptions/{id:guid}/word-search", async (Guid id, [FromQuery] string? terms, IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(
                    new WordSearchQuery(id, [.. (terms ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]), ct)))
            .WithTags("Transcriptions")
            .WithName("SearchTranscriptionWords")
            .RequireScope(ApiScopes.Read)
            .WithSummary("Where words or phrases (up to 5 words; terms=a,b c) are said in this transcript, case-insensitively: each term's count and every occurrence's start, end and word indexes.")
            .Produces<WordSearchDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/transcriptions/{id:guid}", async (Guid id, [FromQuery] int? revision, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TranscriptionETags.Answer(http, await mediator.Send(new GetTranscriptionQuery(id, revision), ct)))
            .WithTags("Transcriptions")
            .WithName("GetTranscription")
            .RequireScope(ApiScopes.Read)
            .WithSummary("A transcription by id, as it is now or at ?revision= (1 is the engine's output, kept after edits). The ETag is its revision; If-None-Match with it answers 304.")
            .Produces<TranscriptionDto>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPatch("/transcriptions/{id:guid}", async (
                Guid id, EditTranscriptionRequest body, [FromHeader(Name = "If-Match")] string? ifMatchHeader, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                if (TranscriptionETags.IfMatch(ifMatchHeader) is not { } ifMatch)
                {
                    return ErrorResults.Problem(Error.PreconditionRequired(
                        "transcription.if_match_required",
                        "Send If-Match with the ETag of the transcription you edited (read it first), so an edit never overwrites one you have not seen; If-Match: * edits whatever is there."));
                }

                return TranscriptionETags.Answer(http, await mediator.Send(
                    new EditTranscriptionCommand(id, body.Segments, body.Speakers, ifMatch.Any ? null : ifMatch.Revisions), ct));
            })
            .WithTags("Transcriptions")
            .WithName("EditTranscription")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Correct segment texts (segments: [{ index, text }]; the words it can match keep their times) and name speakers (speakers: { \"S1\": \"Alice\" }, null removes a name). Needs If-Match with the ETag read (412 when the transcription has moved on, 428 without it). The earlier revision is kept; search, captions, exports and later analyses use the edited text.")
            .Produces<TranscriptionDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);

        api.MapGet("/jobs/{id:guid}/analyses", async (Guid id, IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(new ListJobAnalysesQuery(id), ct)))
            .WithTags("Analyses")
            .WithName("ListJobAnalyses")
            .RequireScope(ApiScopes.Read)
            .WithSummary("The analysis results of a job (keywords, summary, sentiment, speech statistics).")
            .Produces<IReadOnlyList<AnalysisResultDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }
}

/// <summary>The body of PATCH /api/v1/transcriptions/{id}: either part may be left out.</summary>
internal sealed record EditTranscriptionRequest(IReadOnlyList<SegmentEditDto>? Segments, Dictionary<string, string?>? Speakers);

/// <summary>A transcription's ETag is its revision (strong: "3"); If-Match and If-None-Match compare with it.</summary>
internal static class TranscriptionETags
{
    public static string Of(int revision) => $"\"{revision.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"";

    /// <summary>The answer with its ETag; 304 when If-None-Match names it.</summary>
    public static IResult Answer(HttpContext http, Result<TranscriptionDto> result)
    {
        if (result.IsFailure)
        {
            return ErrorResults.Problem(result.Error!);
        }

        var etag = Of(result.Value.Revision);
        http.Response.Headers.ETag = etag;
        var noneMatch = http.Request.Headers.IfNoneMatch.ToString();
        return noneMatch.Length > 0 && http.Request.Method == HttpMethods.Get
               && (noneMatch.Trim() == "*" || noneMatch.Split(',').Any(tag => tag.Trim().TrimStart('W', '/') == etag))
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(result.Value);
    }

    /// <summary>If-Match: null when absent; <c>*</c>; or the revisions its strong tags name (others match nothing).</summary>
    public static (bool Any, IReadOnlyCollection<int> Revisions)? IfMatch(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        var revisions = new List<int>();
        foreach (var tag in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (tag == "*")
            {
                return (true, []);
            }

            if (tag.Length > 2 && tag[0] == '"' && tag[^1] == '"'
                && int.TryParse(tag.AsSpan(1, tag.Length - 2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var revision))
            {
                revisions.Add(revision);
            }
        }

        return (false, revisions);
    }
}
