using System.Net;
using System.Text.Json;
using MediaPlatform.Api.Tests.Infrastructure;

namespace MediaPlatform.Api.Tests.OpenApi;

public sealed class OpenApiDocumentTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("/api/v1/media", "post", "201 400 413 415 422 507")]
    [InlineData("/api/v1/media", "get", "200 400")]
    [InlineData("/api/v1/media/{id}", "get", "200 404")]
    [InlineData("/api/v1/media/{id}", "delete", "204 404 409")]
    [InlineData("/api/v1/jobs", "post", "202 400 404 422")]
    [InlineData("/api/v1/jobs", "get", "200 400")]
    [InlineData("/api/v1/jobs/{id}", "get", "200 404")]
    [InlineData("/api/v1/jobs/{id}", "delete", "204 404 409")]
    [InlineData("/api/v1/jobs/{id}/cancel", "post", "200 404 409")]
    [InlineData("/api/v1/jobs/{id}/retry", "post", "200 404 409")]
    [InlineData("/api/v1/jobs/{id}/transcription", "get", "200 404")]
    [InlineData("/api/v1/jobs/{id}/analyses", "get", "200 404")]
    [InlineData("/api/v1/transcriptions/{id}", "get", "200 404")]
    [InlineData("/api/v1/jobs/{id}/subtitles", "get", "200 400 404")]
    [InlineData("/api/v1/jobs/{id}/events", "get", "200 404")]
    [InlineData("/api/v1/me", "get", "200 401")]
    [InlineData("/api/v1/tenants", "post", "201 400 401 403 409")]
    [InlineData("/api/v1/tenants", "get", "200 400 401 403")]
    [InlineData("/api/v1/tenants/{id}", "get", "200 401 403 404")]
    [InlineData("/api/v1/tenants/{id}", "patch", "200 400 401 403 404 409")]
    [InlineData("/api/v1/tenants/{id}", "delete", "204 401 403 404 409")]
    [InlineData("/api/v1/tenants/{id}/keys", "post", "201 400 401 403 404")]
    [InlineData("/api/v1/tenants/{id}/keys", "get", "200 401 403 404")]
    [InlineData("/api/v1/tenants/{id}/keys/{keyId}", "delete", "204 401 403 404")]
    public async Task Every_endpoint_is_documented_with_its_error_responses(string path, string method, string statuses)
    {
        var document = await DocumentAsync();

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        var documented = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
        Assert.All(statuses.Split(' '), s => Assert.Contains(s, documented));
        Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()));
        if (method == "post")
        {
            Assert.Contains(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key");
        }
    }

    [Fact]
    public async Task Enums_are_documented_as_camel_case_strings()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");

        Assert.Equal(["queued", "running", "succeeded", "failed", "cancelled"], schemas.GetProperty("JobStatus").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("speechStatistics", schemas.GetProperty("AnalysisKind").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Interactive_docs_are_served_by_the_service_itself_without_the_vendors_fonts_agent_or_telemetry()
    {
        var response = await factory.CreateClient().GetAsync(new Uri("/docs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
        // Every script from this origin (the bundle is served by the service), and nothing the reference would fetch
        // from its vendor's site or offer on its behalf.
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        foreach (var setting in new[] { "\"withDefaultFonts\":false", "\"telemetry\":false", "\"agent\":{\"disabled\":true}", "\"mcp\":{\"disabled\":true}", "\"showDeveloperTools\":\"never\"", "\"hideClientButton\":true" })
        {
            Assert.Contains(setting, html, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync(new Uri("/docs/scalar.js", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Every_json_request_body_has_an_example_and_every_error_answer_a_body()
    {
        var document = await DocumentAsync();

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("responses", out _)))
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (operation.Value.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out var json))
                {
                    Assert.True(json.TryGetProperty("example", out _), $"{name}: its JSON body has no example");
                }

                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
                {
                    Assert.True(response.Value.TryGetProperty("content", out var content) && content.EnumerateObject().Any(), $"{name}: {response.Name} has no body");
                }
            }
        }
    }

    private async Task<JsonElement> DocumentAsync()
    {
        var response = await factory.CreateClient().GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
