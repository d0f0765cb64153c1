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

    [Fact]
    public async Task A_bad_idempotency_key_has_a_code_and_errors()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs") { Content = JsonContent.Create(new { mediaId = Guid.NewGuid() }) };
        request.Headers.Add("Idempotency-Key", new string('k', 300));

        var problem = await (await _client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("idempotency.key_invalid", problem.GetProperty("code").GetString());
    }
}
