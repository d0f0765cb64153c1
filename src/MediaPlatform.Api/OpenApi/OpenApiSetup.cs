using System.Text.Json;
using MediaPlatform.Api.Endpoints;
using MediaPlatform.Api.Idempotency;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace MediaPlatform.Api.OpenApi;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and the interactive reference at <c>/docs</c>.</summary>
internal static class OpenApiSetup
{
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddOpenApiDocument(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "MediaPlatform API",
                    Version = "v1",
                    Description = "Register audio or video, submit transcription and analysis jobs, read the results. "
                        + "Every /api/v1 request needs an API key: 'Authorization: Bearer mp_live_...' (scopes read, write, admin). "
                        + "Errors are RFC 9457 problem+json. Lists are keyset-paginated: pass nextCursor back as cursor. "
                        + "Every POST accepts an Idempotency-Key header.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "mp_live_ + 43 letters or digits",
                    Description = "An API key of a tenant. The bootstrap admin key is written to <data folder>/admin.key on first start.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (!metadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any())
                {
                    var scope = metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Select(a => a.Policy).FirstOrDefault(p => p is not null);
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = scope is null ? [] : [scope] }];
                    operation.Responses ??= [];
                    operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No key, or an unknown, revoked or expired one (problem+json, WWW-Authenticate: Bearer)." });
                    operation.Responses.TryAdd("403", new OpenApiResponse { Description = scope is null ? "The key may not do this." : $"The key lacks the '{scope}' scope (problem+json)." });
                    operation.Responses.TryAdd("429", new OpenApiResponse { Description = "The tenant's requestsPerMinute (or, on submit, maxQueuedJobs) is reached; see Retry-After." });
                }

                if (HttpMethods.IsPost(context.Description.HttpMethod ?? string.Empty))
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = IdempotencyMiddleware.HeaderName,
                        In = ParameterLocation.Header,
                        Required = false,
                        Description = "Makes the POST safe to retry: a replay with the same key and body returns the stored response; "
                            + "the same key with another body is 409.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
                    });
                }

                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().Any(m => m.EndpointName == "CreateMedia"))
                {
                    operation.RequestBody = CreateMediaBody();
                }

                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                // ApiEnum<T> query parameters are enums as far as clients are concerned.
                var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
                if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ApiEnum<>))
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Properties?.Clear();
                    schema.Enum = [.. Enum.GetNames(type.GetGenericArguments()[0]).Select(n => (System.Text.Json.Nodes.JsonNode)JsonNamingPolicy.CamelCase.ConvertName(n))];
                }

                return Task.CompletedTask;
            });
        });

    /// <summary>The upload endpoint reads its body itself (streamed), so its two accepted bodies are described here.</summary>
    private static OpenApiRequestBody CreateMediaBody() => new()
    {
        Required = true,
        Description = "Either multipart/form-data with the media in the field 'file' (streamed; up to Media:MaxUploadBytes), "
            + "or JSON { \"url\": \"https://...\" } to register media a worker will fetch.",
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["multipart/form-data"] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "file" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The audio or video file." },
                    },
                },
            },
            ["application/json"] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "url" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["url"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", MaxLength = 2048, Description = "An http or https URL on a public host." },
                    },
                },
            },
        },
    };

    public static WebApplication MapOpenApiDocument(this WebApplication app)
    {
        // Open to everyone, like the health endpoints: the document describes the bearer scheme it needs.
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("MediaPlatform API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();
        return app;
    }
}
