using MediaPlatform.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MediaPlatform.Api.Tests.Hostile;

public sealed class HostileInputTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    /// <summary>Raise with MEDIAPLATFORM_HOSTILE_REQUESTS for a long run; the seed is printed on failure to replay it.</summary>
    private static readonly int _count = int.TryParse(Environment.GetEnvironmentVariable("MEDIAPLATFORM_HOSTILE_REQUESTS"), out var n) ? n : 1200;

    [Fact]
    public async Task A_thousand_hostile_requests_get_no_5xx_only_problem_json_and_store_nothing()
    {
        var seed = Environment.TickCount;
        var generator = new HostileRequests(seed);
        var client = factory.CreateClient();
        // Requests that bring their own (hostile) credential are sent without the test's key.
        var anonymous = factory.CreateAnonymousClient();
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();

        for (var i = 0; i < _count; i++)
        {
            using var request = generator.Next();

            var description = $"{request.Method} {request.RequestUri}";
            using var response = await (request.Headers.Contains("Authorization") ? anonymous : client).SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500 || status < 400)
            {
                failures.Add($"{status} for {Truncate(description)}: {Truncate(await response.Content.ReadAsStringAsync())}");
            }
            else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{status} without problem+json for {Truncate(description)}");
            }
        }

        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} bad answers, e.g.\n{string.Join('\n', failures.Take(10))}");
        Assert.True(statuses.Keys.Count >= 5, $"the generator should reach many kinds of refusal: {string.Join(", ", statuses)}");
        await using var db = factory.CreateDbContext();
        Assert.Equal(0, await db.MediaAssets.CountAsync());
        Assert.Equal(0, await db.Jobs.CountAsync());
        Assert.Equal(1, await db.Tenants.CountAsync()); // default only: no hostile request created a tenant
        Assert.Empty(TestMedia.StoredFiles(factory.BlobRoot));
    }

    private static string Truncate(string text) => text.Length > 200 ? text[..200] + "..." : text;
}
