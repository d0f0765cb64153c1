using System.Net;
using System.Net.Sockets;
using MediaPlatform.Application.Abstractions;
using MediaPlatform.Application.Processing;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Media;

/// <summary>
/// Downloads URL media into the blob store: redirects are followed by hand (at most 5) and each target passes the
/// <see cref="IUrlGuard"/>; the connection itself is opened only to the address the guard approved (so a DNS answer
/// that changes between check and connect cannot reach a private address); the body streams into the store with
/// the upload size limit; the whole download has a time limit.
/// </summary>
internal sealed class HttpMediaFetcher(IUrlGuard guard, IBlobStore blobs, MediaLimits limits, IOptions<MediaOptions> media, IOptions<ProcessingOptions> processing)
    : IMediaFetcher, IDisposable
{
    private const int MaxRedirects = 5;
    private readonly HttpClient _http = CreateClient(media.Value.AllowPrivateUrls);

    public async Task<FetchedMedia> FetchAsync(Uri url, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(processing.Value.FetchTimeoutSeconds));
        try
        {
            var current = url;
            for (var hop = 0; hop <= MaxRedirects; hop++)
            {
                var allowed = await guard.CheckAsync(current, timeout.Token);
                if (allowed.IsFailure)
                {
                    throw new MediaProcessingException(allowed.Error!.Code, $"{allowed.Error.Message} (fetching {current})", isTransient: false);
                }

                using var response = await _http.GetAsync(current, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (response.StatusCode is >= HttpStatusCode.MovedPermanently and <= HttpStatusCode.PermanentRedirect && response.Headers.Location is { } location)
                {
                    current = location.IsAbsoluteUri ? location : new Uri(current, location);
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    var transient = response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError;
                    throw new MediaProcessingException("fetch.http_error", $"The media URL answered {(int)response.StatusCode} {response.ReasonPhrase}.", transient);
                }

                if (response.Content.Headers.ContentLength > limits.MaxUploadBytes)
                {
                    throw new MediaProcessingException("fetch.too_large", $"The media is {response.Content.Headers.ContentLength} bytes, over the limit of {limits.MaxUploadBytes}.", isTransient: false);
                }

                await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
                var stored = await blobs.SaveAsync(body, limits.MaxUploadBytes, timeout.Token);
                if (stored.IsFailure)
                {
                    throw new MediaProcessingException(stored.Error!.Code, stored.Error.Message, isTransient: stored.Error.Type == Domain.Common.ErrorType.InsufficientStorage);
                }

                var contentType = response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
                return new FetchedMedia(stored.Value, contentType);
            }

            throw new MediaProcessingException("fetch.too_many_redirects", $"The media URL redirected more than {MaxRedirects} times.", isTransient: false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaProcessingException("fetch.timeout", $"The download did not finish within {processing.Value.FetchTimeoutSeconds} s.", isTransient: true, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new MediaProcessingException("fetch.unreachable", "The media URL could not be reached.", isTransient: true, ex) { Detail = ex.Message };
        }
    }

    public void Dispose() => _http.Dispose();

    private static HttpClient CreateClient(bool allowPrivate) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // HTTPS_PROXY would move name resolution to the proxy, past the address check below: never use one here.
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(15),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var addresses = IPAddress.TryParse(context.DnsEndPoint.Host.Trim('[', ']'), out var literal)
                    ? [literal]
                    : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
                var target = addresses.FirstOrDefault(a => allowPrivate || UrlGuard.IsPublic(a))
                    ?? throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves only to non-public addresses.");
                var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(target, context.DnsEndPoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestHeaders = { { "User-Agent", "MediaPlatform/1.0 (+media fetcher)" } },
        };
}
