using MediaPlatform.Api.Auth;
using MediaPlatform.Api.Errors;
using MediaPlatform.Api.Idempotency;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Application.Media;
using MediaPlatform.Application.Media.DeleteMedia;
using MediaPlatform.Application.Media.GetMedia;
using MediaPlatform.Application.Media.ListMedia;
using MediaPlatform.Application.Media.RegisterMediaUrl;
using MediaPlatform.Application.Media.UploadMedia;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Media;
using MediaPlatform.Domain.Tenants;
using MediatR;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace MediaPlatform.Api.Endpoints;

/// <summary>/api/v1/media: upload (multipart, streamed) or register by URL (JSON), read, list, delete.</summary>
internal static class MediaEndpoints
{
    // Multipart framing around the file: boundaries and part headers.
    internal const long MultipartOverheadBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapMediaEndpoints(this IEndpointRouteBuilder app)
    {
        var media = app.MapGroup("/api/v1/media").WithTags("Media");

        media.MapPost("/", CreateAsync)
            .WithName("CreateMedia")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Upload media (multipart/form-data, field 'file') or register it by URL (JSON { \"url\": ... }).")
            .Produces<MediaAssetDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .DisableAntiforgery();

        media.MapGet("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(new GetMediaQuery(id), ct)))
            .WithName("GetMedia")
            .RequireScope(ApiScopes.Read)
            .WithSummary("Read a media asset: status, size, hash and the facts probing found.")
            .Produces<MediaAssetDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        media.MapGet("/{id:guid}/content", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new Application.Media.GetMediaContent.GetMediaContentQuery(id), ct);
                if (result.IsFailure)
                {
                    return ErrorResults.Problem(result.Error!);
                }

                http.Response.Headers.XContentTypeOptions = "nosniff";
                http.Response.Headers.CacheControl = "private, max-age=300";
                return new RangeProblemResult(Results.Stream(result.Value.Content, result.Value.ContentType, enableRangeProcessing: true));
            })
            .WithName("GetMediaContent")
            .RequireScope(ApiScopes.Read)
            .AcceptSessionCookie()
            .WithSummary("The media's stored bytes for a player: Range requests get 206 Partial Content (one range), Accept-Ranges: bytes. Audio and video types as registered; anything else as application/octet-stream.")
            .Produces<string>(StatusCodes.Status200OK, "application/octet-stream", "audio/wav", "audio/mpeg", "video/mp4")
            .Produces(StatusCodes.Status206PartialContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status416RangeNotSatisfiable);

        media.MapGet("/", async ([FromQuery] ApiEnum<MediaStatus>? status, [FromQuery] int? limit, [FromQuery] string? cursor, IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(new ListMediaQuery(status?.Value, limit ?? PagingRules.DefaultLimit, cursor), ct)))
            .WithName("ListMedia")
            .RequireScope(ApiScopes.Read)
            .WithSummary("List media newest first, one page at a time (keyset cursor).")
            .Produces<PageDto<MediaAssetDto>>()
            .ProducesValidationProblem();

        media.MapDelete("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new DeleteMediaCommand(id), ct);
                return result.IsSuccess ? Results.NoContent() : ErrorResults.Problem(result.Error!);
            })
            .WithName("DeleteMedia")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Delete media, its finished jobs and results, and its stored bytes. 409 while a job uses it.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IMediator mediator, MediaLimits limits, CancellationToken ct)
    {
        var request = context.Request;
        if (request.HasJsonContentType())
        {
            BindingErrors.ReadingBodyAs<RegisterMediaUrlRequest>(context);
            var body = await request.ReadFromJsonAsync<RegisterMediaUrlRequest>(ct);
            return Created(await mediator.Send(new RegisterMediaUrlCommand(body?.Url), ct));
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Length == 0)
        {
            return ErrorResults.Problem(Error.UnsupportedMediaType(
                "request.content_type",
                "Send the file as multipart/form-data (field 'file'), or JSON { \"url\": \"https://...\" } to register a URL."));
        }

        // The body is read as a stream: allow the configured upload size, not Kestrel's default.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = limits.MaxUploadBytes + MultipartOverheadBytes;
        }

        var reader = new MultipartReader(HeaderUtilities.RemoveQuotes(contentType.Boundary).ToString(), request.Body);
        if (await NextFileAsync(reader, ct) is not ({ } section, { } disposition))
        {
            return ErrorResults.Problem(Error.Validation("media.file_missing", "The multipart body has no file part; send the media as the field 'file'."));
        }

        var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : disposition.FileName.Value;
        var result = await mediator.Send(new UploadMediaCommand(new UploadBodyStream(section.Body), fileName, section.ContentType), ct);
        if (result.IsSuccess && await NextFileAsync(reader, ct) is not null)
        {
            // One medium per request: answering with the first while the others were dropped would lose them
            // without a word. Nothing of this request stays.
            await mediator.Send(new DeleteMediaCommand(result.Value.Id), CancellationToken.None);
            return ErrorResults.Problem(Error.Validation(
                "media.too_many_files", "The multipart body has more than one file part; upload one file per request (field 'file')."));
        }

        if (result.IsSuccess)
        {
            IdempotencyMiddleware.SetBodyFingerprint(context, $"file:{result.Value.FileName}:{result.Value.ContentType}:{result.Value.Sha256}");
        }

        return Created(result);
    }

    /// <summary>The next file part of a multipart body and its disposition (other parts are skipped); null at its end.</summary>
    private static async Task<(MultipartSection Section, ContentDispositionHeaderValue Disposition)?> NextFileAsync(MultipartReader reader, CancellationToken ct)
    {
        for (var section = await NextSectionAsync(reader, ct); section is not null; section = await NextSectionAsync(reader, ct))
        {
            if (section.GetContentDispositionHeader() is { } disposition && disposition.IsFileDisposition())
            {
                return (section, disposition);
            }
        }

        return null;
    }

    /// <summary>
    /// The next part of a multipart body. Framing the reader cannot follow (no boundary where one must be, a body that
    /// ends early) surfaces as an IOException; it is the client's malformed body, answered 400 by the exception
    /// handler, not a server fault.
    /// </summary>
    internal static async Task<MultipartSection?> NextSectionAsync(MultipartReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.ReadNextSectionAsync(ct);
        }
        catch (IOException ex) when (!ct.IsCancellationRequested)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
    }

    private static IResult Created(Result<MediaAssetDto> result) =>
        result.IsSuccess
            ? TypedResults.Created($"/api/v1/media/{result.Value.Id}", result.Value)
            : ErrorResults.Problem(result.Error!);

    /// <summary>The JSON body that registers media by URL.</summary>
    internal sealed record RegisterMediaUrlRequest(string? Url);
}
