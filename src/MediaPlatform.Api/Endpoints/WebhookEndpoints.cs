using System.Text.Json;
using MediaPlatform.Api.Auth;
using MediaPlatform.Api.Errors;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Application.Webhooks;
using MediaPlatform.Domain.Common;
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
            .WithSummary("Subscribe a URL to events (job.started, job.succeeded, job.failed, job.cancelled, media.ready, or * for all), with optional custom 'headers' sent with every delivery. The answer's 'secret' signs every delivery and is shown only here.")
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

        webhooks.MapPost("/job-secret", async (IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(new RotateJobWebhookSecretCommand(), ct)))
            .WithName("RotateJobWebhookSecret")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Issue the tenant's job webhook secret, or replace it: it signs the deliveries of jobs' own webhooks ('webhook' on POST /api/v1/jobs) and is shown only here; a replaced one keeps signing beside it for 24 hours.")
            .Produces<JobWebhookSecretDto>();

        webhooks.MapPatch("/{id:guid}", async (Guid id, JsonElement body, IMediator mediator, CancellationToken ct) =>
            {
                var parsed = ParsePatch(id, body);
                return parsed.IsFailure ? ErrorResults.Problem(parsed.Error!) : ErrorResults.Ok(await mediator.Send(parsed.Value, ct));
            })
            .WithName("UpdateWebhook")
            .RequireScope(ApiScopes.Write)
            .WithSummary("Change a subscription (JSON merge patch): url, events, description, headers (merged: a header set to null is removed; headers: null removes them all), enabled (true enables a disabled subscription again).")
            .Accepts<UpdateWebhookRequest>("application/json", "application/merge-patch+json")
            .Produces<WebhookDto>()
            .ProducesValidationProblem()
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

    /// <summary>Reads a merge patch: a member left out is kept; description or headers set to null are removed.</summary>
    private static Result<UpdateWebhookCommand> ParsePatch(Guid id, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Error.Validation("webhook.patch_invalid", "The body must be a JSON object such as { \"events\": [\"job.succeeded\"] }.");
        }

        string? url = null, description = null;
        List<string>? events = null;
        Dictionary<string, string?>? headers = null;
        bool setDescription = false, setHeaders = false;
        bool? enabled = null;
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "url" when value.ValueKind == JsonValueKind.String:
                    url = value.GetString();
                    break;
                case "events" when value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                    events = [.. value.EnumerateArray().Select(e => e.GetString()!)];
                    break;
                case "description" when value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                    setDescription = true;
                    description = value.ValueKind == JsonValueKind.Null ? null : value.GetString();
                    break;
                case "headers" when value.ValueKind == JsonValueKind.Null:
                    setHeaders = true;
                    break;
                case "headers" when value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(h => h.Value.ValueKind is JsonValueKind.String or JsonValueKind.Null):
                    // Merged member by member (RFC 7396): a header set to null is removed, one left out is kept.
                    setHeaders = true;
                    headers = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                    foreach (var header in value.EnumerateObject())
                    {
                        headers[header.Name] = header.Value.ValueKind == JsonValueKind.Null ? null : header.Value.GetString();
                    }

                    break;
                case "enabled" when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    enabled = value.GetBoolean();
                    break;
                case "url" or "events" or "description" or "headers" or "enabled":
                    return Error.Validation(
                        "webhook.patch_invalid",
                        $"{property.Name} has the wrong type: url is a string, events an array of strings, description a string or null, headers an object of strings (or null to remove one) or null, enabled true or false.");
                default:
                    return Error.Validation("webhook.patch_invalid", $"'{property.Name}' cannot be changed; use url, events, description, headers or enabled.");
            }
        }

        return new UpdateWebhookCommand(id, url, events, setDescription, description, setHeaders, headers, enabled);
    }

    internal sealed record UpdateWebhookRequest(string? Url, IReadOnlyList<string>? Events, string? Description, IReadOnlyDictionary<string, string?>? Headers, bool? Enabled);

    internal sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string>? Events, string? Description, IReadOnlyDictionary<string, string>? Headers);
}
