using System.Net;
using MediaPlatform.Infrastructure.Media;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Tests.Media;

public sealed class UrlGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("168.63.129.16")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    public void Non_public_addresses_are_refused(string address) =>
        Assert.False(UrlGuard.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700:4700::1111")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.True(UrlGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task An_operator_can_allow_private_urls_for_a_closed_network()
    {
        var guard = new UrlGuard(Options.Create(new MediaOptions { AllowPrivateUrls = true }));

        Assert.True((await guard.CheckAsync(new Uri("http://127.0.0.1/a.mp3"))).IsSuccess);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused()
    {
        var guard = new UrlGuard(Options.Create(new MediaOptions()));

        Assert.Equal("media.url_forbidden", (await guard.CheckAsync(new Uri("http://localhost/a.mp3"))).Error?.Code);
    }
}
