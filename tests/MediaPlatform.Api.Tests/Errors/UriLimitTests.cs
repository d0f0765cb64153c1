using System.Net;
using MediaPlatform.Api.Tests.Infrastructure;

namespace MediaPlatform.Api.Tests.Errors;

/// <summary>A path and query past the API's limit, sent over a real socket to Kestrel.</summary>
public sealed class UriLimitTests(KestrelApiFactory factory) : IClassFixture<KestrelApiFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task A_uri_past_the_limit_is_a_414_problem_that_names_the_limit()
    {
        var problem = await (await _client.GetAsync(new Uri($"/api/v1/search?q={new string('a', 9000)}", UriKind.Relative)))
            .AssertProblemAsync(HttpStatusCode.RequestUriTooLong);

        Assert.Equal("request.uri_too_long", problem.GetProperty("code").GetString());
        Assert.Equal("https://mediaplatform.dev/problems/request-uri_too_long", problem.GetProperty("type").GetString());
        Assert.Contains("at most 8192", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_uri_at_the_limit_is_served()
    {
        var path = "/api/v1/jobs?limit=10&x=";
        var response = await _client.GetAsync(new Uri(path + new string('a', 8192 - path.Length), UriKind.Relative));

        // Answered by the endpoint (an unknown parameter is ignored), not refused for its length.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
