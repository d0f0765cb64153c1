using System.Text.Json;
using MediaPlatform.Api.Endpoints;
using MediaPlatform.Api.Idempotency;
using Microsoft.AspNetCore.OpenApi;
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
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                document.Components.Schemas[OpenAiErrorSchema] = TypedClientSchemas.OpenAiError();
                document.Components.Schemas["OpenAiTranscription"] = TypedClientSchemas.OpenAiTranscription();
                document.Components.Schemas["OpenAiVerboseTranscription"] = TypedClientSchemas.OpenAiVerboseTranscription();
                // Relative to wherever the document is served, not the address of the instance that served it.
                document.Servers = [new OpenApiServer { Url = "/" }];
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                // The OpenAI-compatible endpoints answer errors in OpenAI's shape (but the rate limit's 429).
                var openAi = (context.Description.RelativePath ?? string.Empty).StartsWith("v1/", StringComparison.OrdinalIgnoreCase);
                if (!metadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any())
                {
                    var scope = metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Select(a => a.Policy).FirstOrDefault(p => p is not null);
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = scope is null ? [] : [scope] }];
                    operation.Responses ??= [];
                    operation.Responses.TryAdd("401", Error(context.Document!, openAi, "No key, or an unknown, revoked or expired one (WWW-Authenticate: Bearer)."));
                    operation.Responses.TryAdd("403", Error(context.Document!, openAi, scope is null ? "The key may not do this." : $"The key lacks the '{scope}' scope."));
                    operation.Responses.TryAdd("429", Error(context.Document!, openAi: false, "The tenant's requestsPerMinute (or, on submit, maxQueuedJobs) is reached; see Retry-After."));
                }

                // Every error answer has a body a client can type: problem+json, or OpenAI's error object on /v1.
                foreach (var (status, response) in operation.Responses ?? [])
                {
                    if (status.StartsWith('4') || status.StartsWith('5'))
                    {
                        if (response is OpenApiResponse concrete && (concrete.Content is null || concrete.Content.Count == 0))
                        {
                            concrete.Content = Error(context.Document!, openAi && status != "429", concrete.Description ?? string.Empty).Content;
                        }
                    }
                }

                switch (context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName)
                {
                    case "OpenAiCreateTranscription":
                        operation.RequestBody = TypedClientSchemas.OpenAiTranscriptionBody();
                        operation.Responses!["200"] = new OpenApiResponse
                        {
                            Description = "The transcript: JSON for json and verbose_json, text for text, srt and vtt.",
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                ["application/json"] = new()
                                {
                                    Schema = new OpenApiSchema
                                    {
                                        AnyOf =
                                        [
                                            new OpenApiSchemaReference("OpenAiTranscription", context.Document),
                                            new OpenApiSchemaReference("OpenAiVerboseTranscription", context.Document),
                                        ],
                                    },
                                },
                                ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                            },
                        };
                        operation.Responses["202"] = new OpenApiResponse
                        {
                            Description = "The job did not finish within OpenAiApi:WaitSeconds: follow it at location.",
                            Content = new Dictionary<string, OpenApiMediaType>
                            {
                                ["application/json"] = new()
                                {
                                    Schema = new OpenApiSchema
                                    {
                                        Type = JsonSchemaType.Object,
                                        Required = new HashSet<string> { "id", "status", "location" },
                                        Properties = new Dictionary<string, IOpenApiSchema>
                                        {
                                            ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
                                            ["status"] = new OpenApiSchema { Type = JsonSchemaType.String },
                                            ["location"] = new OpenApiSchema { Type = JsonSchemaType.String },
                                        },
                                    },
                                },
                            },
                        };
                        break;
                    case "OpenAiListModels":
                        operation.Responses!["200"] = new OpenApiResponse
                        {
                            Description = "The engines, as OpenAI models.",
                            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = TypedClientSchemas.OpenAiModels() } },
                        };
                        break;
                    case "UpdateTenant":
                        operation.RequestBody = await MergePatchBodyAsync(context, typeof(Endpoints.TenantEndpoints.UpdateTenantRequest), cancellationToken);
                        break;
                    case "UpdateWebhook":
                        operation.RequestBody = await MergePatchBodyAsync(context, typeof(Endpoints.WebhookEndpoints.UpdateWebhookRequest), cancellationToken);
                        break;
                }

                // Query parameters are numbers too (System.Text.Json's number-or-string reaches them as well).
                foreach (var parameter in operation.Parameters ?? [])
                {
                    if (parameter.Schema is OpenApiSchema schema)
                    {
                        TypedClientSchemas.NumbersAsNumbers(schema);
                    }
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

                if (RequestExamples.TryGetValue(context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName ?? string.Empty, out var example)
                    && operation.RequestBody?.Content is { } bodies)
                {
                    foreach (var (mediaType, body) in bodies)
                    {
                        if (mediaType.Contains("json", StringComparison.Ordinal))
                        {
                            body.Example = System.Text.Json.Nodes.JsonNode.Parse(example);
                        }
                    }
                }
            });
            options.AddSchemaTransformer(TypedClientSchemas.TransformAsync);
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

    private const string OpenAiErrorSchema = "OpenAiError";

    /// <summary>An example body for every operation that takes JSON (redocly lint checks each against its schema).</summary>
    private static readonly Dictionary<string, string> RequestExamples = new(StringComparer.Ordinal)
    {
        ["CreateMedia"] = """{ "url": "https://media.example.com/interview.mp3" }""",
        ["SubmitJob"] = """{ "mediaId": "0192f0c1-3a5e-7cc1-9a7e-2b8f6f0d4e11", "language": "en-US", "analyses": ["keywords", "summary"], "priority": 0, "webhook": { "url": "https://hooks.example.com/jobs", "headers": { "Authorization": "Bearer receiver-token" } } }""",
        ["SubmitJobs"] = """{ "jobs": [ { "mediaId": "0192f0c1-3a5e-7cc1-9a7e-2b8f6f0d4e11" }, { "mediaId": "0192f0c1-3a5e-7cc1-9a7e-2b8f6f0d4e12", "analyses": ["sentiment"] } ] }""",
        ["CreateWebhook"] = """{ "url": "https://hooks.example.com/mediaplatform", "events": ["job.succeeded", "job.failed"], "description": "pipeline", "headers": { "Authorization": "Bearer receiver-token" } }""",
        ["UpdateWebhook"] = """{ "events": ["*"], "description": null, "enabled": true }""",
        ["CreateTenant"] = """{ "name": "acme", "limits": { "requestsPerMinute": 600, "maxQueuedJobs": 100, "storageBytes": 1073741824, "retentionDays": 30 } }""",
        ["UpdateTenant"] = """{ "name": "acme-eu", "limits": { "maxQueuedJobs": 200, "retentionDays": null } }""",
        ["EditTranscription"] = """{ "segments": [ { "index": 3, "text": "Kubernetes schedules the pods" } ], "speakers": { "S1": "Alice", "S2": null } }""",
        ["CreateVocabulary"] = """{ "name": "platform team", "terms": ["Kubernetes", "Anand", "Terraform Cloud"] }""",
        ["CreateApiKey"] = """{ "name": "ci", "scopes": ["read", "write"], "expiresAt": "2027-12-31T00:00:00Z" }""",
    };

    /// <summary>An error answer: problem+json, or OpenAI's error object on the OpenAI-compatible endpoints.</summary>
    private static OpenApiResponse Error(OpenApiDocument document, bool openAi, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [openAi ? "application/json" : "application/problem+json"] = new()
            {
                Schema = new OpenApiSchemaReference(openAi ? OpenAiErrorSchema : "ProblemDetails", document),
            },
        },
    };

    /// <summary>A JSON merge patch body (read as JsonElement, to tell a member left out from one set to null) described by its request record.</summary>
    private static async Task<OpenApiRequestBody> MergePatchBodyAsync(OpenApiOperationTransformerContext context, Type request, CancellationToken cancellationToken)
    {
        var schema = await context.GetOrCreateSchemaAsync(request, null, cancellationToken);
        context.Document!.AddComponent(request.Name, schema);
        var reference = new OpenApiSchemaReference(request.Name, context.Document);
        return new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new() { Schema = reference },
                ["application/merge-patch+json"] = new() { Schema = reference },
            },
        };
    }

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
        // Our product's reference, working offline: the bundle served by the service itself, no fonts from the
        // vendor's site, no telemetry, and none of the vendor's own features (its AI agent, MCP, developer tools bar,
        // client download button).
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("MediaPlatform API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools()
            .HideClientButton())
            .AllowAnonymous();
        return app;
    }
}
