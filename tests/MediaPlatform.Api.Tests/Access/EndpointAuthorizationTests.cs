using MediaPlatform.Api.Tests.Infrastructure;
using MediaPlatform.Domain.Tenants;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MediaPlatform.Api.Tests.Access;

/// <summary>Read from the routing table: every /api endpoint needs a key with a scope, and appears in the OpenAPI document (so the isolation suite walks it).</summary>
public sealed class EndpointAuthorizationTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public void Every_api_endpoint_requires_a_key_and_names_its_scope()
    {
        _ = factory.CreateClient();
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .ToList();

        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, e =>
        {
            var name = $"{string.Join(',', e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])} {e.RoutePattern.RawText}";
            Assert.Null(e.Metadata.GetMetadata<IAllowAnonymous>());
            var policies = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            Assert.True(policies.Count > 0, $"{name} has no authorization");
            Assert.True(
                policies.Any(p => p is not null && ApiScopes.IsKnown(p)) || e.RoutePattern.RawText == "/api/v1/me",
                $"{name} requires no scope");
            Assert.False(e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription == true, $"{name} is hidden from the OpenAPI document");
        });
    }
}
