using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MediaPlatform.Api.OpenApi;

/// <summary>
/// What makes the document one a generated client can trust (checked by tests/openapi-client): numbers typed as
/// numbers, enums as string enums, every member of a response object required (nullable where it can be null),
/// request bodies requiring only what the validators require, and problem details with the members the service
/// always writes.
/// </summary>
internal static class TypedClientSchemas
{
    /// <summary>The members a request body must have (the validators' rules); every other member may be left out.</summary>
    private static readonly Dictionary<string, string[]> RequestRequired = new(StringComparer.Ordinal)
    {
        ["SubmitJobRequest"] = ["mediaId"],
        ["SubmitJobsRequest"] = ["jobs"],
        ["JobWebhookRequest"] = ["url"],
        ["CreateWebhookRequest"] = ["url", "events"],
        ["UpdateWebhookRequest"] = [],
        ["CreateApiKeyRequest"] = ["name", "scopes"],
        ["CreateTenantRequest"] = ["name"],
        ["UpdateTenantRequest"] = [],
        ["TenantLimitsRequest"] = [],
        ["EditTranscriptionRequest"] = [],
        ["CreateVocabularyRequest"] = ["name", "terms"],
    };

    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        NumbersAsNumbers(schema);

        // Called for every schema, a property's included: the rules below are the type's, wherever it is first met.
        var clr = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (clr.IsEnum)
        {
            schema.Type = JsonSchemaType.String;
        }
        else if (schema.Properties is { Count: > 0 } properties)
        {
            if (RequestRequired.TryGetValue(clr.Name, out var required))
            {
                schema.Required = new HashSet<string>(required, StringComparer.Ordinal);
            }
            else if (clr.Namespace?.StartsWith("MediaPlatform.Application", StringComparison.Ordinal) == true && clr.Name.Contains("Dto", StringComparison.Ordinal))
            {
                // The service writes every member of its answers, null ones included.
                schema.Required = new HashSet<string>(properties.Keys, StringComparer.Ordinal);
            }
            else if (clr == typeof(Microsoft.AspNetCore.Mvc.ProblemDetails) || clr == typeof(HttpValidationProblemDetails))
            {
                Problem(schema, validation: clr == typeof(HttpValidationProblemDetails));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// System.Text.Json reads numbers from strings too (its Web defaults), so the generator types numbers as
    /// <c>number | string</c> with a pattern; clients should send and expect numbers.
    /// </summary>
    public static void NumbersAsNumbers(OpenApiSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (type & JsonSchemaType.String) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
    }

    /// <summary>RFC 9457 as this service writes it: every member but detail always there, with its stable code and trace id.</summary>
    private static void Problem(OpenApiSchema schema, bool validation)
    {
        var properties = schema.Properties!;
        properties["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI naming the kind of problem." };
        properties["title"] = new OpenApiSchema { Type = JsonSchemaType.String };
        properties["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" };
        properties["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request path." };
        properties["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A stable code to act on, such as job.not_found or validation.failed." };
        properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Quote it when reporting a problem: it finds the request in the logs." };
        string[] required = ["type", "title", "status", "instance", "code", "traceId"];
        schema.Required = new HashSet<string>(validation ? [.. required, "errors"] : required, StringComparer.Ordinal);
    }

    /// <summary>OpenAI's error object, the shape of every error of the /v1 endpoints but the rate limit's.</summary>
    public static OpenApiSchema OpenAiError() => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "error" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["error"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Required = new HashSet<string> { "message", "type", "param", "code" },
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "invalid_request_error or server_error." },
                    ["param"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                    ["code"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                },
            },
        },
    };

    /// <summary>The answer of <c>POST /v1/audio/transcriptions</c> with response_format json.</summary>
    public static OpenApiSchema OpenAiTranscription() => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "text" },
        Properties = new Dictionary<string, IOpenApiSchema> { ["text"] = Of(JsonSchemaType.String) },
    };

    /// <summary>
    /// The answer with response_format verbose_json, OpenAI's shape: <c>segments</c> unless only words were asked for,
    /// <c>words</c> only when <c>timestamp_granularities[]</c> has word.
    /// </summary>
    public static OpenApiSchema OpenAiVerboseTranscription() => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "task", "language", "duration", "text" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["task"] = Of(JsonSchemaType.String),
            ["language"] = Of(JsonSchemaType.String),
            ["duration"] = Of(JsonSchemaType.Number),
            ["text"] = Of(JsonSchemaType.String),
            ["segments"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = Object(new()
                {
                    ["id"] = Of(JsonSchemaType.Integer),
                    ["seek"] = Of(JsonSchemaType.Integer),
                    ["start"] = Of(JsonSchemaType.Number),
                    ["end"] = Of(JsonSchemaType.Number),
                    ["text"] = Of(JsonSchemaType.String),
                    ["tokens"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Of(JsonSchemaType.Integer) },
                    ["temperature"] = Of(JsonSchemaType.Number),
                    ["avg_logprob"] = Of(JsonSchemaType.Number),
                    ["compression_ratio"] = Of(JsonSchemaType.Number),
                    ["no_speech_prob"] = Of(JsonSchemaType.Number),
                }),
            },
            ["words"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = Object(new() { ["word"] = Of(JsonSchemaType.String), ["start"] = Of(JsonSchemaType.Number), ["end"] = Of(JsonSchemaType.Number) }),
            },
        },
    };

    private static OpenApiSchema Of(JsonSchemaType type) => new() { Type = type };

    /// <summary>An object whose members are all always there.</summary>
    private static OpenApiSchema Object(Dictionary<string, IOpenApiSchema> properties) => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string>(properties.Keys, StringComparer.Ordinal),
        Properties = properties,
    };

    /// <summary>The answer of <c>GET /v1/models</c>.</summary>
    public static OpenApiSchema OpenAiModels() => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "object", "data" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["object"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("list")] },
            ["data"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "id", "object", "created", "owned_by" },
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["id"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["object"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["created"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" },
                        ["owned_by"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            },
        },
    };

    /// <summary>The multipart body of <c>POST /v1/audio/transcriptions</c>, OpenAI's fields.</summary>
    public static OpenApiRequestBody OpenAiTranscriptionBody() => new()
    {
        Required = true,
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
                        ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                        ["model"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "An engine from GET /v1/models; whisper-1 is the default engine." },
                        ["language"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["prompt"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["response_format"] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.String,
                            Enum = [.. new[] { "json", "text", "srt", "vtt", "verbose_json" }.Select(f => (JsonNode)JsonValue.Create(f))],
                        },
                        ["temperature"] = new OpenApiSchema { Type = JsonSchemaType.Number },
                        ["timestamp_granularities[]"] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Array,
                            Items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("word"), JsonValue.Create("segment")] },
                        },
                    },
                },
            },
        },
    };
}
