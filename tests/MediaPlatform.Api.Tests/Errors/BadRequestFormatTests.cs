using System.Net;
using System.Net.Http.Json;
using System.Text;
using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.TestSupport.Builders;

namespace MediaPlatform.Api.Tests.Errors;

/// <summary>Whoever finds the fault (FluentValidation, a handler's rule, the body reader, the binder), a 400 looks the same.</summary>
public sealed class BadRequestFormatTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_validator_failure_has_a_code_and_field_errors()
    {
        var response = await _client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = Guid.Empty });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("validation.failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("mediaId", out _));
    }

    [Fact]
    public async Task A_rule_of_a_handler_has_its_code_and_errors()
    {
        var media = (await (await _client.PostAsync(new Uri("/api/v1/media", UriKind.Relative), TestMedia.Upload(TestMedia.ToneWav()))).ReadSuccessAsync()).GetProperty("id").GetGuid();

        var response = await _client.PostAsJsonAsync("/api/v1/jobs", new { mediaId = media, engine = "nope" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("job.engine_unknown", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("job.engine_unknown", out _));
    }

    [Theory]
    [InlineData("POST", "/api/v1/jobs", "application/json", "{")]
    [InlineData("POST", "/api/v1/jobs", "application/json", "{\"mediaId\": 12}")]
    [InlineData("GET", "/api/v1/jobs?status=nope", null, null)]
    [InlineData("POST", "/api/v1/media", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nhello\r\n--x--\r\n")]
    public async Task An_unreadable_request_has_a_code_and_errors(string method, string url, string? contentType, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType!);
        }

        var response = await _client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/api/v1/jobs", "{\"mediaId\":\"abc\"}", "The body's 'mediaId' must be a UUID")]
    [InlineData("/api/v1/jobs", "{\"mediaId\":\"0193d1e4-5a8b-7c2d-9e3f-4a5b6c7d8e9f\",\"kind\":\"magic\"}", "The body's 'kind' must be one of transcription, analysis.")]
    [InlineData("/api/v1/jobs", "{\"mediaId\":\"0193d1e4-5a8b-7c2d-9e3f-4a5b6c7d8e9f\",\"analyses\":[\"magic\"]}", "The body's 'analyses[0]' must be one of keywords, summary, sentiment, speechStatistics.")]
    [InlineData("/api/v1/jobs", "{\"mediaId\":\"0193d1e4-5a8b-7c2d-9e3f-4a5b6c7d8e9f\",\"priority\":99999999999}", "The body's 'priority' must be a whole number")]
    [InlineData("/api/v1/tenants", "{\"name\":\"typo\",\"limits\":{\"requestsPerMinute\":1e30}}", "The body's 'limits.requestsPerMinute' must be a whole number")]
    [InlineData("/api/v1/jobs", "{\"mediaId\":\"0193d1e4-5a8b-7c2d-9e3f-4a5b6c7d8e9f\",\"languag\":\"en\"}", "The body has a member 'languag' that this request does not take; it takes mediaId, kind, language,")]
    [InlineData("/api/v1/tenants", "{\"name\":\"typo\",\"limits\":{\"requestPerMinute\":5}}", "The body has a member 'requestPerMinute' in 'limits' that this request does not take; it takes requestsPerMinute,")]
    [InlineData("/api/v1/jobs", "", "This request needs a JSON object body (Content-Type: application/json) with its members: mediaId,")]
    [InlineData("/api/v1/jobs", "null", "This request needs a JSON object body")]
    public async Task A_body_that_cannot_be_bound_says_in_the_apis_terms_what_is_expected(string url, string body, string detail)
    {
        var response = await _client.PostAsync(new Uri(url, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var text = problem.GetProperty("detail").GetString()!;
        Assert.StartsWith(detail, text, StringComparison.Ordinal);
        Assert.DoesNotContain("MediaPlatform.", text, StringComparison.Ordinal); // no .NET type names
    }

    [Fact]
    public async Task A_misspelt_limit_is_refused_not_taken_as_unlimited()
    {
        var response = await _client.PostAsync(new Uri("/api/v1/tenants", UriKind.Relative), new StringContent("{\"name\":\"misspelt-limit\",\"limits\":{\"foo\":1}}", Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.DoesNotContain("misspelt-limit", await _client.GetStringAsync(new Uri("/api/v1/tenants?limit=100", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_parameter_with_an_unknown_value_lists_the_values_it_takes()
    {
        var problem = await (await _client.GetAsync(new Uri("/api/v1/jobs?status=finished", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("The parameter 'status' cannot be 'finished': it must be one of queued, running, succeeded, failed, cancelled.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Fields_are_named_as_clients_write_them_in_messages_and_in_errors()
    {
        var limit = await (await _client.GetAsync(new Uri("/api/v1/jobs?limit=100000", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.BadRequest);
        var batch = await (await _client.PostAsync(new Uri("/api/v1/jobs/batch", UriKind.Relative), new StringContent(
            "{\"jobs\":[{\"mediaId\":\"0193d1e4-5a8b-7c2d-9e3f-4a5b6c7d8e9f\"},{\"mediaId\":\"00000000-0000-0000-0000-000000000000\"}]}", Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.StartsWith("'limit' must be", limit.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(batch.GetProperty("errors").TryGetProperty("jobs[1].mediaId", out _), batch.GetRawText());
    }

    [Fact]
    public async Task A_json_endpoint_sent_another_content_type_says_what_to_send()
    {
        var problem = await (await _client.PostAsync(new Uri("/api/v1/jobs", UriKind.Relative), new StringContent("mediaId=1", Encoding.UTF8, "text/plain")))
            .AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("Content-Type: application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/jobs/not-a-uuid")]
    [InlineData("/api/v1/no-such-thing")]
    public async Task A_path_nothing_answers_says_what_a_path_takes(string path)
    {
        var problem = await (await _client.GetAsync(new Uri(path, UriKind.Relative))).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("request.not_found", problem.GetProperty("code").GetString());
        Assert.Contains("UUIDs", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_frameworks_own_errors_name_their_type_as_the_platforms_do()
    {
        var notFound = await (await _client.GetAsync(new Uri("/api/v1/no-such-thing", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.NotFound);
        var wrongMethod = await (await _client.PutAsync(new Uri("/api/v1/jobs", UriKind.Relative), JsonContent.Create(new { }))).AssertProblemAsync(HttpStatusCode.MethodNotAllowed);
        var platforms = await (await _client.GetAsync(new Uri($"/api/v1/jobs/{Guid.NewGuid()}", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("https://mediaplatform.dev/problems/request-not_found", notFound.GetProperty("type").GetString());
        Assert.Equal("https://mediaplatform.dev/problems/request-method_not_allowed", wrongMethod.GetProperty("type").GetString());
        // The platform's own problems were named so already: one scheme for both.
        Assert.Equal($"https://mediaplatform.dev/problems/{platforms.GetProperty("code").GetString()!.Replace('.', '-')}", platforms.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_bad_idempotency_key_has_a_code_and_errors()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = JsonContent.Create(new { mediaId = Guid.NewGuid() }) };
        request.Headers.Add("Idempotency-Key", new string('k', 300));

        var problem = await (await _client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("idempotency.key_invalid", problem.GetProperty("code").GetString());
    }
}
