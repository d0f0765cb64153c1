using System.Text.Json;
using MediaPlatform.Api.Endpoints;
using MediaPlatform.Api.Idempotency;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace MediaPlatform.Api.OpenApi;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and the interactive reference at <c>/docs</c>.</summary>
internal static class OpenApiSetup
{
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
                        + "Errors are RFC 9457 problem+json. Lists are keyset-paginated: pass nextCursor back as cursor. "
                        + "Every POST accepts an Idempotency-Key header.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
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
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("MediaPlatform API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return app;
    }
}
