using MediaPlatform.Domain.Common;

namespace MediaPlatform.Application.Abstractions;

/// <summary>
/// Refuses URLs that would make the service reach into its own network (SSRF): loopback, private, link-local,
/// cloud metadata and other non-public addresses, unless an operator allowed them. Applied at registration and
/// to every redirect when fetching.
/// </summary>
public interface IUrlGuard
{
    Task<Result> CheckAsync(Uri url, CancellationToken cancellationToken = default);
}
