using System.Net;
using System.Security.Cryptography;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing;
using MediaPlatform.Domain.Common;
using MediaPlatform.Infrastructure.Media;
using MediaPlatform.Infrastructure.Storage;
using MediaPlatform.TestSupport.Http;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Tests.Media;

/// <summary>The fetcher against a real HTTP server on loopback (private addresses allowed for the connection itself).</summary>
public sealed class HttpMediaFetcherTests : IDisposable
{
    private static readonly byte[] _media = RandomNumberGenerator.GetBytes(150_000);
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mp-fetch-");
    private readonly LocalHttpServer _server = new(Serve);

    public void Dispose()
    {
        _server.Dispose();
        _root.Delete(recursive: true);
    }

    [Fact]
    public async Task Media_is_streamed_into_the_store_with_its_hash_size_and_type()
    {
        var fetched = await Fetcher(new AllowAll()).FetchAsync(new Uri(_server.BaseAddress, "media.mp3"));

        Assert.Equal(_media.Length, fetched.Blob.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(_media)), fetched.Blob.Sha256);
        Assert.Equal("audio/mpeg", fetched.ContentType);
    }

    [Fact]
    public async Task Redirects_are_followed()
    {
        var fetched = await Fetcher(new AllowAll()).FetchAsync(new Uri(_server.BaseAddress, "redirect-to-media"));

        Assert.Equal(_media.Length, fetched.Blob.SizeBytes);
    }

    [Fact]
    public async Task Every_redirect_passes_the_url_guard()
    {
        // The first URL is allowed; the redirect points at a host the guard refuses (as it would loopback or metadata).
        var error = await Assert.ThrowsAsync<MediaProcessingException>(() =>
            Fetcher(new RefuseHost("localhost")).FetchAsync(new Uri(_server.BaseAddress, "redirect-to-localhost")));

        Assert.Equal("media.url_forbidden", error.Code);
        Assert.False(error.IsTransient);
        Assert.Empty(_root.GetFiles("*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("missing", "fetch.http_error", false)]
    [InlineData("unavailable", "fetch.http_error", true)]
    [InlineData("huge", "fetch.too_large", false)]
    [InlineData("loop", "fetch.too_many_redirects", false)]
    public async Task Failures_say_whether_a_retry_can_help(string path, string code, bool transient)
    {
        var error = await Assert.ThrowsAsync<MediaProcessingException>(() =>
            Fetcher(new AllowAll()).FetchAsync(new Uri(_server.BaseAddress, path)));

        Assert.Equal((code, transient), (error.Code, error.IsTransient));
        Assert.Empty(_root.GetFiles("*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_download_over_the_size_limit_without_a_content_length_stops_and_leaves_nothing()
    {
        var error = await Assert.ThrowsAsync<MediaProcessingException>(() =>
            Fetcher(new AllowAll(), maxBytes: 100_000).FetchAsync(new Uri(_server.BaseAddress, "chunked")));

        Assert.Equal("media.too_large", error.Code);
        Assert.Empty(_root.GetFiles("*", SearchOption.AllDirectories));
    }

    private HttpMediaFetcher Fetcher(IUrlGuard guard, long maxBytes = 10_000_000)
    {
        var store = new FileSystemBlobStore(Options.Create(new StorageOptions { RootPath = _root.FullName }), TimeProvider.System);
        return new HttpMediaFetcher(
            guard, store, new MediaLimits(maxBytes),
            Options.Create(new MediaOptions { AllowPrivateUrls = true }),
            Options.Create(new ProcessingOptions { FetchTimeoutSeconds = 30 }));
    }

    private static async Task Serve(HttpListenerContext context)
    {
        var response = context.Response;
        switch (context.Request.Url!.AbsolutePath)
        {
            case "/media.mp3":
            case "/chunked":
                response.ContentType = "audio/mpeg";
                if (context.Request.Url.AbsolutePath == "/chunked")
                {
                    response.SendChunked = true;
                }
                else
                {
                    response.ContentLength64 = _media.Length;
                }

                await response.OutputStream.WriteAsync(_media);
                break;
            case "/redirect-to-media":
                response.Redirect("/media.mp3");
                break;
            case "/redirect-to-localhost":
                response.Redirect($"http://localhost:{context.Request.Url.Port}/media.mp3");
                break;
            case "/loop":
                response.Redirect("/loop");
                break;
            case "/unavailable":
                response.StatusCode = 503;
                break;
            case "/huge":
                response.ContentLength64 = 50_000_000;
                response.StatusCode = 200;
                response.Abort();
                break;
            default:
                response.StatusCode = 404;
                break;
        }
    }

    private sealed class AllowAll : IUrlGuard
    {
        public Task<Result> CheckAsync(Uri url, CancellationToken cancellationToken = default) => Task.FromResult(Result.Success());
    }

    private sealed class RefuseHost(string host) : IUrlGuard
    {
        public Task<Result> CheckAsync(Uri url, CancellationToken cancellationToken = default) =>
            Task.FromResult(url.Host == host ? Result.Failure(Error.Validation("media.url_forbidden", $"{host} is not public")) : Result.Success());
    }
}
