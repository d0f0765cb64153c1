using System.Globalization;
using System.Text.Json;
using MediaPlatform.Api.Auth;
using MediaPlatform.Api.Errors;
using MediaPlatform.Api.Streams;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Application.Jobs;
using MediaPlatform.Application.Jobs.GetJob;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Domain.Tenants;
using MediatR;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Api.Endpoints;

/// <summary>
/// <c>GET /api/v1/jobs/{id}/events</c>: server-sent events. The first <c>job</c> event is the job as it is; then one
/// per change of status, progress or step, until the job ends (succeeded, failed or cancelled) or is deleted. A
/// comment line every 15 s keeps proxies from closing an idle stream. Each event's <c>id</c> names the job's state,
/// so a client that reconnects with <c>Last-Event-ID</c> is not sent the state it already has.
/// </summary>
internal static class JobEventEndpoints
{
    private static readonly TimeSpan _keepAlive = TimeSpan.FromSeconds(15);

    public static IEndpointRouteBuilder MapJobEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/jobs/{id:guid}/events", StreamAsync)
            .WithTags("Jobs")
            .WithName("StreamJobEvents")
            .RequireScope(ApiScopes.Read)
            .WithSummary("Follow a job: server-sent events with its state and progress until it ends.")
            .Produces<JobDto>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IResult> StreamAsync(
        Guid id, HttpContext context, IMediator mediator, ICurrentTenant tenant, JobStreams streams, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        using var place = streams.TryOpen(tenant.RequiredTenantId);
        if (place is null)
        {
            context.Response.Headers.RetryAfter = "5";
            return ErrorResults.Problem(Error.QuotaExceeded("streams.limit", "Too many event streams are open; close some, or poll GET /api/v1/jobs/{id}."));
        }

        // Follow before the first read, so no change between the read and the subscription is missed.
        using var feed = streams.Follow(id, tenant);
        var first = await mediator.Send(new GetJobQuery(id), cancellationToken);
        if (first.IsFailure)
        {
            return ErrorResults.Problem(first.Error!);
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var job = first.Value;
        var sent = context.Request.Headers["Last-Event-ID"].ToString();
        if (sent != EventId(job))
        {
            await WriteAsync(context, job, json.Value.SerializerOptions, cancellationToken);
        }
        else
        {
            await context.Response.Body.FlushAsync(cancellationToken);
        }

        while (!IsFinished(job.Status) && !cancellationToken.IsCancellationRequested)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(_keepAlive);
            try
            {
                await feed.Updates.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await context.Response.WriteAsync(": keep-alive\n\n", cancellationToken);
                await context.Response.Body.FlushAsync(cancellationToken);
                continue;
            }

            JobUpdate? latest = null;
            while (feed.Updates.TryRead(out var update))
            {
                latest = update; // a burst of updates: only the newest state matters
            }

            if (latest?.Job is not { } current)
            {
                break; // deleted meanwhile
            }

            // A read that began before this stream's own first read may arrive after it: never go back in time.
            if (current.UpdatedAt >= job.UpdatedAt && EventId(current) != EventId(job))
            {
                job = current;
                await WriteAsync(context, job, json.Value.SerializerOptions, cancellationToken);
            }
        }

        return Results.Empty;
    }

    private static bool IsFinished(JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    /// <summary>
    /// The state an event carries: status, progress, step and attempt (not the update time, which every heartbeat
    /// moves without changing anything a client sees).
    /// </summary>
    private static string EventId(JobDto job) =>
        string.Create(CultureInfo.InvariantCulture, $"{job.Status}-{job.Progress}-{job.CurrentStep}-{job.Attempts}");

    private static async Task WriteAsync(HttpContext context, JobDto job, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        await context.Response.WriteAsync($"id: {EventId(job)}\nevent: job\ndata: {JsonSerializer.Serialize(job, options)}\n\n", cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }
}
