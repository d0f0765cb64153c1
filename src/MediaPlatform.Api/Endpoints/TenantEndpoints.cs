using System.Text.Json;
using MediaPlatform.Api.Auth;
using MediaPlatform.Api.Errors;
using MediaPlatform.Application.Common.Paging;
using MediaPlatform.Application.Tenants;
using MediaPlatform.Application.Tenants.CreateApiKey;
using MediaPlatform.Application.Tenants.CreateTenant;
using MediaPlatform.Application.Tenants.DeleteTenant;
using MediaPlatform.Application.Tenants.GetMe;
using MediaPlatform.Application.Tenants.GetTenant;
using MediaPlatform.Application.Tenants.ListApiKeys;
using MediaPlatform.Application.Tenants.ListTenants;
using MediaPlatform.Application.Tenants.RevokeApiKey;
using MediaPlatform.Application.Tenants.UpdateTenant;
using MediaPlatform.Domain.Common;
using MediaPlatform.Domain.Tenants;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace MediaPlatform.Api.Endpoints;

/// <summary>The admin API (tenants and their keys, scope <c>admin</c>) and <c>GET /api/v1/me</c> (any key).</summary>
internal static class TenantEndpoints
{
    public static IEndpointRouteBuilder MapTenantEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/me", async (IMediator mediator, CancellationToken ct) => ErrorResults.Ok(await mediator.Send(new GetMeQuery(), ct)))
            .WithTags("Access")
            .WithName("GetMe")
            .WithSummary("The caller's tenant, key and scopes, and its usage against each limit.")
            .RequireAuthorization()
            .Produces<MeDto>();

        var tenants = app.MapGroup("/api/v1/tenants").WithTags("Access");

        tenants.MapPost("/", async (CreateTenantRequest body, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new CreateTenantCommand(body.Name, body.Limits?.ToDomain()), ct);
                return result.IsSuccess
                    ? TypedResults.Created($"/api/v1/tenants/{result.Value.Id}", result.Value)
                    : ErrorResults.Problem(result.Error!);
            })
            .WithName("CreateTenant")
            .RequireScope(ApiScopes.Admin)
            .WithSummary("Create a tenant with optional limits.")
            .Produces<TenantDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        tenants.MapGet("/", async ([FromQuery] int? limit, [FromQuery] string? cursor, IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(new ListTenantsQuery(limit ?? PagingRules.DefaultLimit, cursor), ct)))
            .WithName("ListTenants")
            .RequireScope(ApiScopes.Admin)
            .WithSummary("List tenants newest first, one page at a time (keyset cursor).")
            .Produces<PageDto<TenantDto>>()
            .ProducesValidationProblem();

        tenants.MapGet("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(new GetTenantQuery(id), ct)))
            .WithName("GetTenant")
            .RequireScope(ApiScopes.Admin)
            .WithSummary("Read a tenant and its limits.")
            .Produces<TenantDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        tenants.MapPatch("/{id:guid}", async (Guid id, JsonElement body, IMediator mediator, CancellationToken ct) =>
            {
                var parsed = ParsePatch(body);
                if (parsed.IsFailure)
                {
                    return ErrorResults.Problem(parsed.Error!);
                }

                return ErrorResults.Ok(await mediator.Send(new UpdateTenantCommand(id, parsed.Value.Name, parsed.Value.Limits), ct));
            })
            .WithName("UpdateTenant")
            .RequireScope(ApiScopes.Admin)
            .WithSummary("Rename a tenant or change its limits (JSON merge patch: a limit set to null is removed, one left out is kept).")
            .Accepts<UpdateTenantRequest>("application/json", "application/merge-patch+json")
            .Produces<TenantDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        tenants.MapDelete("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new DeleteTenantCommand(id), ct);
                return result.IsSuccess ? Results.NoContent() : ErrorResults.Problem(result.Error!);
            })
            .WithName("DeleteTenant")
            .RequireScope(ApiScopes.Admin)
            .WithSummary("Delete a tenant with its keys, media, jobs and results, stored bytes included. A key cannot delete its own tenant.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        tenants.MapPost("/{id:guid}/keys", async (Guid id, CreateApiKeyRequest body, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new CreateApiKeyCommand(id, body.Name, body.Scopes, body.ExpiresAt), ct);
                return result.IsSuccess
                    ? TypedResults.Created($"/api/v1/tenants/{id}/keys/{result.Value.Id}", result.Value)
                    : ErrorResults.Problem(result.Error!);
            })
            .WithName("CreateApiKey")
            .RequireScope(ApiScopes.Admin)
            .WithSummary("Issue an API key for the tenant. The answer's 'key' is the only time the secret is shown.")
            .Produces<CreatedApiKeyDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        tenants.MapGet("/{id:guid}/keys", async (Guid id, IMediator mediator, CancellationToken ct) =>
                ErrorResults.Ok(await mediator.Send(new ListApiKeysQuery(id), ct)))
            .WithName("ListApiKeys")
            .RequireScope(ApiScopes.Admin)
            .WithSummary("The tenant's keys, revoked ones included, without their secrets.")
            .Produces<PageDto<ApiKeyDto>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        tenants.MapDelete("/{id:guid}/keys/{keyId:guid}", async (Guid id, Guid keyId, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new RevokeApiKeyCommand(id, keyId), ct);
                return result.IsSuccess ? Results.NoContent() : ErrorResults.Problem(result.Error!);
            })
            .WithName("RevokeApiKey")
            .RequireScope(ApiScopes.Admin)
            .WithSummary("Revoke a key: it is refused from the next request on.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static Result<(string? Name, TenantLimitsPatch? Limits)> ParsePatch(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Error.Validation("tenant.patch_invalid", "The body must be a JSON object such as { \"name\": ..., \"limits\": { \"maxQueuedJobs\": 100 } }.");
        }

        string? name = null;
        TenantLimitsPatch? limits = null;
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "name" when property.Value.ValueKind == JsonValueKind.String:
                    name = property.Value.GetString();
                    break;
                case "name":
                    return Error.Validation("tenant.name_invalid", "name must be a string.");
                case "limits" when property.Value.ValueKind == JsonValueKind.Null:
                    limits = new TenantLimitsPatch(TenantLimits.None, TenantLimitsPatch.Names.ToHashSet());
                    break;
                case "limits" when property.Value.ValueKind == JsonValueKind.Object:
                    var parsed = ParseLimits(property.Value);
                    if (parsed.IsFailure)
                    {
                        return parsed.Error!;
                    }

                    limits = parsed.Value;
                    break;
                case "limits":
                    return Error.Validation("tenant.limits_invalid", "limits must be an object (or null to remove every limit).");
                default:
                    return Error.Validation("tenant.patch_invalid", $"'{property.Name}' cannot be changed; send name and/or limits.");
            }
        }

        return (name, limits);
    }

    private static Result<TenantLimitsPatch> ParseLimits(JsonElement limits)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        var values = new Dictionary<string, long?>(StringComparer.Ordinal);
        foreach (var property in limits.EnumerateObject())
        {
            if (!TenantLimitsPatch.Names.Contains(property.Name))
            {
                return Error.Validation("tenant.limits_invalid", $"'{property.Name}' is not a limit; the limits are {string.Join(", ", TenantLimitsPatch.Names)}.");
            }

            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                values[property.Name] = null;
            }
            else if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var number)
                && (property.Name == "storageBytes" || number is >= int.MinValue and <= int.MaxValue))
            {
                values[property.Name] = number;
            }
            else
            {
                return Error.Validation("tenant.limits_invalid", $"{property.Name} must be a whole number or null.");
            }

            present.Add(property.Name);
        }

        int? Int(string name) => values.TryGetValue(name, out var v) && v is { } x ? (int)x : null;
        var parsed = new TenantLimits(
            Int("requestsPerMinute"), Int("maxConcurrentJobs"), Int("maxQueuedJobs"),
            values.TryGetValue("storageBytes", out var bytes) ? bytes : null,
            Int("maxMediaSeconds"), Int("retentionDays"));
        return new TenantLimitsPatch(parsed, present);
    }

    /// <summary>Limits as clients send them; each optional, null or absent meaning no limit.</summary>
    internal sealed record TenantLimitsRequest(
        int? RequestsPerMinute, int? MaxConcurrentJobs, int? MaxQueuedJobs, long? StorageBytes, int? MaxMediaSeconds, int? RetentionDays)
    {
        public TenantLimits ToDomain() => new(RequestsPerMinute, MaxConcurrentJobs, MaxQueuedJobs, StorageBytes, MaxMediaSeconds, RetentionDays);
    }

    /// <summary>The body of <c>POST /api/v1/tenants</c>.</summary>
    internal sealed record CreateTenantRequest(string? Name, TenantLimitsRequest? Limits);

    /// <summary>The body of <c>PATCH /api/v1/tenants/{id}</c>: a merge patch; both members optional.</summary>
    internal sealed record UpdateTenantRequest(string? Name, TenantLimitsRequest? Limits);

    /// <summary>The body of <c>POST /api/v1/tenants/{id}/keys</c>.</summary>
    internal sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string>? Scopes, DateTimeOffset? ExpiresAt);
}
