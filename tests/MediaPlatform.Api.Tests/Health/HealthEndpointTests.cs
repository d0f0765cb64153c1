using System.Net;
using System.Text.Json;
using MediaPlatform.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace MediaPlatform.Api.Tests.Health;

public sealed class HealthEndpointTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Ready_reports_a_healthy_database()
    {
        var response = await factory.CreateClient().GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Live_answers_without_touching_the_database()
    {
        var response = await factory.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ready_reports_an_unreachable_database_as_unavailable_while_live_stays_up()
    {
        await using var down = factory.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=nowhere;Username=postgres",
            ["Database:ConnectionTimeoutSeconds"] = "2",
        })));
        var client = down.CreateClient();

        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.NotNull(ready.Headers.RetryAfter);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("does not answer", body, StringComparison.Ordinal);
        // Anyone may ask: where the database is and what it said stay in the log.
        Assert.DoesNotContain("127.0.0.1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("nowhere", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task A_request_needing_an_unreachable_database_gets_503_problem_with_retry_after()
    {
        await using var down = factory.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = "Host=127.0.0.1;Port=1;Database=nowhere;Username=postgres",
            ["Database:ConnectionTimeoutSeconds"] = "1",
            ["Database:MaxRetryCount"] = "1",
            ["Database:MaxRetryDelaySeconds"] = "1",
        })));

        var response = await down.CreateClient().GetAsync(new Uri("/api/v1/jobs", UriKind.Relative));

        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.DoesNotContain("   at ", problem.GetRawText(), StringComparison.Ordinal);
    }
}
