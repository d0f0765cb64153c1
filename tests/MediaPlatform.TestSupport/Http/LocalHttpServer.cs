using System.Net;

namespace MediaPlatform.TestSupport.Http;

/// <summary>
/// A real HTTP server on a free loopback port (HttpListener), for tests of code that makes HTTP requests: the
/// media fetcher and the OpenAI-compatible engine. The handler decides each response.
/// </summary>
public sealed class LocalHttpServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<HttpListenerContext, Task> _handler;
    private readonly Task _loop;

    public LocalHttpServer(Func<HttpListenerContext, Task> handler)
    {
        _handler = handler;
        // A free port can be taken by someone else between probing and binding (tests run in parallel): try again.
        for (var attempt = 1; ; attempt++)
        {
            Port = LoopbackPorts.Free();
            _listener = new HttpListener();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                _listener.Close();
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    private int _disposed;

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Stops the server; a second call (WebApplicationFactory disposes its fixtures' servers twice) does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Stopping the listener ends the loop with an exception.
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await _handler(context);
                }
                catch (Exception ex) when (ex is HttpListenerException or IOException)
                {
                    // The client went away.
                }
                finally
                {
                    context.Response.Close();
                }
            });
        }
    }
}
