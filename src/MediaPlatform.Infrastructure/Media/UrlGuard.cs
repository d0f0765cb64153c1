using System.Net;
using System.Net.Sockets;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Common;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Media;

/// <summary>
/// Resolves the URL's host and refuses it when any address is not a public unicast address: loopback, private
/// (RFC 1918, unique-local), link-local (169.254.0.0/16 holds the cloud metadata service), carrier-grade NAT,
/// documentation, benchmark, multicast and reserved ranges, in IPv4, IPv6 and IPv4-mapped IPv6.
/// </summary>
internal sealed class UrlGuard(IOptions<MediaOptions> options) : IUrlGuard
{
    private static readonly (IPAddress Network, int Prefix)[] _blockedV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8), (IPAddress.Parse("10.0.0.0"), 8), (IPAddress.Parse("100.64.0.0"), 10),
        (IPAddress.Parse("127.0.0.0"), 8), (IPAddress.Parse("169.254.0.0"), 16), (IPAddress.Parse("172.16.0.0"), 12),
        (IPAddress.Parse("192.0.0.0"), 24), (IPAddress.Parse("192.0.2.0"), 24), (IPAddress.Parse("192.168.0.0"), 16),
        (IPAddress.Parse("198.18.0.0"), 15), (IPAddress.Parse("198.51.100.0"), 24), (IPAddress.Parse("203.0.113.0"), 24),
        (IPAddress.Parse("224.0.0.0"), 4), (IPAddress.Parse("240.0.0.0"), 4),
        (IPAddress.Parse("168.63.129.16"), 32), // Azure's wire server and metadata endpoint
    ];

    private static readonly (IPAddress Network, int Prefix)[] _blockedV6 =
    [
        (IPAddress.Parse("::"), 128), (IPAddress.Parse("::1"), 128), (IPAddress.Parse("fc00::"), 7),
        (IPAddress.Parse("fe80::"), 10), (IPAddress.Parse("ff00::"), 8), (IPAddress.Parse("2001:db8::"), 32),
        (IPAddress.Parse("64:ff9b::"), 96), (IPAddress.Parse("100::"), 64),
    ];

    public async Task<Result> CheckAsync(Uri url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            return Error.Validation("media.url_scheme", "Only http and https URLs can be fetched.");
        }

        if (options.Value.AllowPrivateUrls)
        {
            return Result.Success();
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                addresses = await Dns.GetHostAddressesAsync(url.IdnHost, timeout.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return Error.Unprocessable("media.url_unresolvable", $"The host '{url.Host}' cannot be resolved from this service.");
            }
        }

        var blocked = addresses.FirstOrDefault(a => !IsPublic(a));
        return blocked is null && addresses.Length > 0
            ? Result.Success()
            : Error.Validation(
                "media.url_forbidden",
                $"The URL's host '{url.Host}' is not on a public address; this service does not fetch from private networks (its operator can allow them with Media__AllowPrivateUrls).");
    }

    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var ranges = address.AddressFamily == AddressFamily.InterNetwork ? _blockedV4 : _blockedV6;
        return !ranges.Any(r => r.Network.AddressFamily == address.AddressFamily && InRange(address, r.Network, r.Prefix));
    }

    private static bool InRange(IPAddress address, IPAddress network, int prefix)
    {
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var fullBytes = prefix / 8;
        for (var i = 0; i < fullBytes; i++)
        {
            if (a[i] != n[i])
            {
                return false;
            }
        }

        var remainder = prefix % 8;
        if (remainder == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - remainder));
        return (a[fullBytes] & mask) == (n[fullBytes] & mask);
    }
}
