using MediaPlatform.Api.Auth;
using MediaPlatform.Api.Errors;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Application.Jobs;
using MediaPlatform.Application.Jobs.CancelJob;
using MediaPlatform.Application.Jobs.DeleteJob;
using MediaPlatform.Application.Jobs.GetJob;
using MediaPlatform.Application.Jobs.GetQueue;
using MediaPlatform.Application.Jobs.ListJobs;
using MediaPlatform.Application.Jobs.RetryJob;
using MediaPlatform.Application.Jobs.SubmitJob;
using MediaPlatform.Application.Jobs.SubmitJobs;
using MediaPlatform.Domain.Analyses;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace MediaPlatform.Api.Endpoints;

/// <summary>/api/v1/jobs: bind, send, map the result. No logic lives here.</summary>
internal static class JobEndpoints
{
    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/v1/jobs").WithTags("Jobs");

        jobs.MapPost("/", async (SubmitJobRequest body, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new SubmitJobCommand(
                    body.MediaId ?? Guid.Empty, body.Kind ?? JobKind.Transcription, body.Language, body.Analyses, body.Engine, body.Priority ?? Job.DefaultPriority, body.Webhook, body.Pii, body.Transcript, body.Speakers, body.Vocabulary, body.VocabularyId), ct);
                return result.IsSuccess
                    ? TypedResults.Accepted($"/api/v1/jobs/{result.Value.Id}", result.Value)
                    : ErrorResults.Problem(result.Error!);
            })
            .WithName("SubmitJob")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Queue a job on registered media. 'webhook': { url, headers? } is told of this job's end (job.succeeded, job.failed, job.cancelled), signed with the tenant's job webhook secret.")
            .Produces<JobDto>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        jobs.MapPost("/batch", async (SubmitJobsRequest body, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new SubmitJobsCommand([.. (body.Jobs ?? []).Select(j => new SubmitJobCommand(
                    j?.MediaId ?? Guid.Empty, j?.Kind ?? JobKind.Transcription, j?.Language, j?.Analyses, j?.Engine, j?.Priority ?? Job.DefaultPriority, j?.Webhook, j?.Pii, j?.Transcript, j?.Speakers, j?.Vocabulary, j?.VocabularyId))]), ct);
                return result.IsSuccess
                    ? Results.Json(result.Value, statusCode: StatusCodes.Status202Accepted)
                    : ErrorResults.Problem(result.Error!);
            })
            .WithName("SubmitJobs")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Queue up to 1,000 jobs in one request: all of them or none. Each job is what POST /api/v1/jobs takes; a refusal names the job (jobs[3]).")
            .Produces<JobBatchDto>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        jobs.MapGet("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(new GetJobQuery(id), ct)))
            .WithName("GetJob")
            .RequireScope(ApiScopes.Read)
            .WithSummary("Read a job: status, progress and error.")
            .Produces<JobDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        jobs.MapGet("/", async (
                [FromQuery] ApiEnum<JobStatus>? status,
                [FromQuery] ApiEnum<JobKind>? kind,
                [FromQuery] Guid? mediaId,
                [FromQuery] DateTimeOffset? createdAfter,
                [FromQuery] DateTimeOffset? createdBefore,
                [FromQuery] int? limit,
                [FromQuery] string? cursor,
                IMediator mediator,
                CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(
                    new ListJobsQuery(status?.Value, kind?.Value, mediaId, createdAfter?.ToUniversalTime(), createdBefore?.ToUniversalTime(), limit ?? PagingRules.DefaultLimit, cursor), ct)))
            .WithName("ListJobs")
            .RequireScope(ApiScopes.Read)
            .WithSummary("List jobs newest first, filtered, one page at a time (keyset cursor).")
            .Produces<PageDto<JobDto>>()
            .ProducesValidationProblem();

        jobs.MapPost("/{id:guid}/cancel", async (Guid id, IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(new CancelJobCommand(id), ct)))
            .WithName("CancelJob")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Cancel a queued or running job.")
            .Produces<JobDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        jobs.MapPost("/{id:guid}/retry", async (Guid id, IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(new RetryJobCommand(id), ct)))
            .WithName("RetryJob")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Queue a failed or cancelled job again.")
            .Produces<JobDto>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        jobs.MapDelete("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new DeleteJobCommand(id), ct);
                return result.IsSuccess ? Results.NoContent() : ErrorResults.Problem(result.Error!);
            })
            .WithName("DeleteJob")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Delete a job that is not running, with its results.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        app.MapGet("/api/v1/queue", async (IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(new GetQueueQuery(), ct)))
            .WithTags("Jobs")
            .WithName("GetQueue")
            .RequireScope(ApiScopes.Read)
            .WithSummary("The queue now: depth by state and priority, the oldest due job's wait, workers and their jobs, the last minute's throughput (every tenant's with an admin key).")
            .Produces<QueueDto>();

        return app;
    }

    /// <summary>The body of <c>POST /api/v1/jobs</c>. Only <c>mediaId</c> is required.</summary>
    internal sealed record SubmitJobsRequest(IReadOnlyList<SubmitJobRequest?>? Jobs);

    internal sealed record SubmitJobRequest(
        Guid? MediaId,
        JobKind? Kind,
        string? Language,
        IReadOnlyList<AnalysisKind>? Analyses,
        string? Engine,
        int? Priority,
        JobWebhookRequest? Webhook = null,
        bool? RedactPii = null,
        IReadOnlyList<string>? RedactPiiPolicies = null,
        string? RedactPiiSub = null,
        IReadOnlyList<string>? RedactPiiNames = null,
        bool? KeepUnredacted = null,
        bool? Disfluencies = null,
        bool? FilterProfanity = null,
        long? AudioStartFrom = null,
        long? AudioEndAt = null,
        bool? SpeakerLabels = null,
        int? SpeakersExpected = null,
        int? MinSpeakers = null,
        int? MaxSpeakers = null,
        IReadOnlyList<string>? Vocabulary = null,
        Guid? VocabularyId = null)
    {
        [System.Text.Json.Serialization.JsonIgnore]
        public SpeakerLabelsRequest? Speakers =>
            SpeakerLabels is null && SpeakersExpected is null && MinSpeakers is null && MaxSpeakers is null
                ? null
                : new SpeakerLabelsRequest(SpeakerLabels, SpeakersExpected, MinSpeakers, MaxSpeakers);

        [System.Text.Json.Serialization.JsonIgnore]
        public TranscriptOptions? Transcript =>
            Disfluencies is null && FilterProfanity is null && AudioStartFrom is null && AudioEndAt is null
                ? null
                : new TranscriptOptions(Disfluencies ?? false, FilterProfanity ?? false, AudioStartFrom, AudioEndAt);

        [System.Text.Json.Serialization.JsonIgnore]
        public PiiRedactionRequest? Pii =>
            new PiiRedactionRequest(RedactPii, RedactPiiPolicies, RedactPiiSub, RedactPiiNames, KeepUnredacted) is { AnySent: true } pii ? pii : null;
    }
}
