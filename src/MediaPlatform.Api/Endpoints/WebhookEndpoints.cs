using MediaPlatform.Api.Auth;
using MediaPlatform.Api.Errors;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Application.Webhooks;
using MediaPlatform.Domain.Tenants;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace MediaPlatform.Api.Endpoints;

/// <summary>/api/v1/webhooks: the caller's tenant's subscriptions and their deliveries.</summary>
internal static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/api/v1/webhooks").WithTags("Webhooks");

        webhooks.MapPost("/", async (CreateWebhookRequest body, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new CreateWebhookCommand(body.Url, body.Events, body.Description, body.Headers), ct);
                return result.IsSuccess
                    ? TypedResults.Created($"/api/v1/webhooks/{result.Value.Id}", result.Value)
                    : ErrorResults.Problem(result.Error!);
            })
            .WithName("CreateWebhook")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Subscribe a URL to events (job.started, job.succeeded, job.failed, job.cancelled, or * for all). The answer's 'secret' signs every delivery and is shown only here.")
            .Produces<WebhookCreatedDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        webhooks.MapGet("/", async (IMediator mediator, CancellationToken ct) => ErrorResults.Ok(await mediator.Send(new ListWebhooksQuery(), ct)))
            .WithName("ListWebhooks")
            .RequireScope(ApiScopes.Read)
            .WithSummary("The tenant's webhook subscriptions, newest first.")
            .Produces<PageDto<WebhookDto>>();

        webhooks.MapGet("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) => ErrorResults.Ok(await mediator.Send(new GetWebhookQuery(id), ct)))
            .WithName("GetWebhook")
            .RequireScope(ApiScopes.Read)
            .WithSummary("Read a subscription (without its secret); a disabled one says why.")
            .Produces<WebhookDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapDelete("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new DeleteWebhookCommand(id), ct);
                return result.IsSuccess ? Results.NoContent() : ErrorResults.Problem(result.Error!);
            })
            .WithName("DeleteWebhook")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Delete a subscription and its deliveries.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapGet("/{id:guid}/deliveries", async (Guid id, [FromQuery] int? limit, [FromQuery] string? cursor, IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(new ListWebhookDeliveriesQuery(id, limit ?? PagingRules.DefaultLimit, cursor), ct)))
            .WithName("ListWebhookDeliveries")
            .RequireScope(ApiScopes.Read)
            .WithSummary("The subscription's deliveries newest first: status (pending, delivered, failed), attempts, the last answer's code and latency, the next attempt.")
            .Produces<PageDto<WebhookDeliveryDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/redeliver", async (Guid id, Guid deliveryId, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new RedeliverWebhookCommand(id, deliveryId), ct);
                return result.IsSuccess ? Results.Accepted() : ErrorResults.Problem(result.Error!);
            })
            .WithName("RedeliverWebhook")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Send a delivery again now, with the same webhook-id.")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPost("/{id:guid}/rotate-secret", async (Guid id, IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(new RotateWebhookSecretCommand(id), ct)))
            .WithName("RotateWebhookSecret")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Issue a new signing secret (shown only here); the old one keeps signing beside it for 24 hours, so deliveries carry both signatures meanwhile.")
            .Produces<WebhookCreatedDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPost("/{id:guid}/test", async (Guid id, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new TestWebhookCommand(id), ct);
                return result.IsSuccess ? Results.Json(result.Value, statusCode: StatusCodes.Status202Accepted) : ErrorResults.Problem(result.Error!);
            })
            .WithName("TestWebhook")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Send a webhook.test ping to this subscription, signed like every event; follow it in its deliveries.")
            .Produces<WebhookTestDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    internal sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string>? Events, string? Description, IReadOnlyDictionary<string, string>? Headers);
}
