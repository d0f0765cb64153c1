using System.Collections.Concurrent;
using System.Net;
using MediaPlatform.TestSupport;
using MediaPlatform.TestSupport.Http;

namespace MediaPlatform.Api.Tests.Webhooks;

/// <summary>A real HTTP peer on loopback that records every request and answers with the status codes it is given, in turn (then 200).</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentQueue<int> _answers;
    private readonly Task _loop;
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WebhookReceiver(params int[] answers)
    {
        _answers = new ConcurrentQueue<int>(answers);
        (_listener, var port) = LoopbackHttpListener.Start("/hooks/");
        Url = $"http://127.0.0.1:{port}/hooks/";
        _loop = Task.Run(LoopAsync);
    }

    private WebhookReceiver(string url)
    {
        _answers = new ConcurrentQueue<int>();
        Url = url;
        _listener = new HttpListener();
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    /// <summary>An address on loopback where nothing listens yet (a receiver that is down); <see cref="At"/> listens there later.</summary>
    public static string UnusedUrl() => $"http://127.0.0.1:{LoopbackPorts.Free()}/hooks/";

    /// <summary>Answers every request with a 307 to this address instead (a receiver that moved).</summary>
    public string? RedirectTo { get; init; }

    /// <summary>How long it takes before answering each request (a slow receiver).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>A receiver listening at <paramref name="url"/> (one from <see cref="UnusedUrl"/>).</summary>
    public static WebhookReceiver At(string url) => new(url);

    public ConcurrentQueue<Received> Requests { get; } = new();

    public async Task<IReadOnlyList<Received>> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Requests.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return [.. Requests];
    }

    public void Dispose()
    {
        _stopping.TrySetResult();
        LoopbackHttpListener.Close(_listener);
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (await LoopbackHttpListener.NextAsync(_listener, _stopping.Task) is { } context)
        {
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            Requests.Enqueue(new Received(headers, body, DateTimeOffset.UtcNow));
            if (RedirectTo is not null)
            {
                context.Response.StatusCode = 307;
                context.Response.RedirectLocation = RedirectTo;
                context.Response.Close();
                continue;
            }

            if (Delay > TimeSpan.Zero)
            {
                // Answer later without holding up the next request (each delivery is its own connection).
                _ = Task.Delay(Delay).ContinueWith(_ => Answer(context), TaskScheduler.Default);
                continue;
            }

            Answer(context);
        }
    }

    private void Answer(HttpListenerContext context)
    {
        try
        {
            context.Response.StatusCode = _answers.TryDequeue(out var status) ? status : 200;
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The listener stopped, or the caller gave up waiting.
        }
    }

    public sealed record Received(IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At);
}
