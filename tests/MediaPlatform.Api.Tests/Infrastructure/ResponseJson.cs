using System.Text.Json;

namespace MediaPlatform.Api.Tests.Infrastructure;

/// <summary>Reads a successful JSON response, failing the test with the body when it was not a success.</summary>
public static class ResponseJson
{
    public static async Task<JsonElement> ReadSuccessAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
