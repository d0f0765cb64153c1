using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaPlatform.Api.Tests.Infrastructure;

namespace MediaPlatform.Api.Tests.Access;

/// <summary>Creates tenants and keys through the admin API with the factory's bootstrap admin key.</summary>
public static class TenantApi
{
    public static async Task<Guid> CreateTenantAsync(HttpClient admin, string name, object? limits = null)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/tenants", new { name, limits });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadSuccessAsync()).GetProperty("id").GetGuid();
    }

    public static async Task<(Guid Id, string Key)> CreateKeyAsync(HttpClient admin, Guid tenant, params string[] scopes)
    {
        var response = await admin.PostAsJsonAsync($"/api/v1/tenants/{tenant}/keys", new { name = $"test {string.Join('+', scopes)}", scopes });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.ReadSuccessAsync();
        return (body.GetProperty("id").GetGuid(), body.GetProperty("key").GetString()!);
    }

    /// <summary>A new tenant with a read+write key; its client sends that key.</summary>
    public static async Task<(Guid Tenant, HttpClient Client)> CreateTenantWithClientAsync(ApiFactory factory, string name, object? limits = null)
    {
        var tenant = await CreateTenantAsync(factory.CreateClient(), name, limits);
        var (_, key) = await CreateKeyAsync(factory.CreateClient(), tenant, "read", "write");
        return (tenant, factory.CreateClient(key));
    }

    public static async Task<JsonElement> JsonAsync(this HttpClient client, string url) =>
        await (await client.GetAsync(new Uri(url, UriKind.Relative))).ReadSuccessAsync();
}
