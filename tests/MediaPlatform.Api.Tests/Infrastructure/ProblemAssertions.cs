using System.Net;
using System.Text.Json;

namespace MediaPlatform.Api.Tests.Infrastructure;

/// <summary>Checks that a response is an RFC 9457 problem with every member the API promises.</summary>
public static class ProblemAssertions
{
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        foreach (var member in new[] { "type", "title", "instance", "traceId" })
        {
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty(member).GetString()), $"problem.{member} is empty");
        }

        if (status == HttpStatusCode.BadRequest)
        {
            AssertBadRequestShape(problem);
        }

        return problem;
    }

    /// <summary>Every 400 has one shape: a <c>code</c>, and <c>errors</c> mapping names to messages.</summary>
    public static void AssertBadRequestShape(JsonElement problem)
    {
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("code").GetString()), "a 400 without a code");
        var errors = problem.GetProperty("errors");
        Assert.Equal(JsonValueKind.Object, errors.ValueKind);
        Assert.NotEmpty(errors.EnumerateObject());
        Assert.All(errors.EnumerateObject(), e => Assert.All(e.Value.EnumerateArray(), m => Assert.False(string.IsNullOrWhiteSpace(m.GetString()))));
    }
}
