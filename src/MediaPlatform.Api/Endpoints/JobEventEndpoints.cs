using MediaPlatform.Api.Auth;
using System.Text.Json;
using System.Threading.Channels;
using MediaPlatform.Api.Errors;
using MediaPlatform.Application.Common.Tenancy;
using MediaPlatform.Application.Jobs;
using MediaPlatform.Application.Jobs.GetJob;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Infrastructure.Queue;
using MediaPlatform.Domain.Tenants;
using MediatR;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Api.Endpoints;

/// <summary>
/// <c>GET /api/v1/jobs/{id}/events</c>: server-sent events. The first <c>job</c> event is the job as it is; then one
/// per change of status, progress or step, until the job ends (succeeded, failed or cancelled). A comment line
/// every 15 s keeps proxies from closing an idle stream.
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
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> StreamAsync(
        Guid id, HttpContext context, IServiceScopeFactory scopes, ICurrentTenant tenant, JobEventHub hub, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var changes = Channel.CreateBounded<JobEvent>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });
        // Subscribe before reading the job, so no change between the read and the subscription is missed.
        using var subscription = hub.Subscribe(id, e => changes.Writer.TryWrite(e));
        var first = await ReadAsync(scopes, tenant, id, cancellationToken);
        if (first.IsFailure)
        {
            return ErrorResults.Problem(first.Error!);
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        var job = first.Value;
        var sequence = 0;
        await WriteAsync(context, job, ++sequence, json.Value.SerializerOptions, cancellationToken);
        while (!IsFinished(job.Status) && !cancellationToken.IsCancellationRequested)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(_keepAlive);
            try
            {
                await changes.Reader.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await context.Response.WriteAsync(": keep-alive\n\n", cancellationToken);
                await context.Response.Body.FlushAsync(cancellationToken);
                continue;
            }

            while (changes.Reader.TryRead(out _))
            {
                // Coalesce a burst of progress notifications into one read of the current state.
            }

            var current = await ReadAsync(scopes, tenant, id, cancellationToken);
            if (current.IsFailure)
            {
                break; // deleted meanwhile
            }

            job = current.Value;
            await WriteAsync(context, job, ++sequence, json.Value.SerializerOptions, cancellationToken);
        }

        return Results.Empty;
    }

    private static bool IsFinished(JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    /// <summary>
    /// A fresh scope per read (the request's own DbContext would keep answering with the first copy it tracked),
    /// acting for the request's tenant.
    /// </summary>
    private static async Task<Domain.Common.Result<JobDto>> ReadAsync(IServiceScopeFactory scopes, ICurrentTenant tenant, Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateTenantScope(tenant);
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetJobQuery(id), cancellationToken);
    }

    private static async Task WriteAsync(HttpContext context, JobDto job, int sequence, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        await context.Response.WriteAsync($"id: {sequence}\nevent: job\ndata: {JsonSerializer.Serialize(job, options)}\n\n", cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }
}
