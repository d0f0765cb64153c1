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
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LocalHttpServer(Func<HttpListenerContext, Task> handler)
        : this(handler, pickPort: null)
    {
    }

    /// <param name="handler">Decides each response.</param>
    /// <param name="pickPort">Chooses candidate ports (see <see cref="LoopbackHttpListener.Start"/>); free ones by default.</param>
    public LocalHttpServer(Func<HttpListenerContext, Task> handler, Func<int>? pickPort)
    {
        _handler = handler;
        (_listener, Port) = LoopbackHttpListener.Start(pickPort: pickPort);
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

        _stopping.TrySetResult();
        LoopbackHttpListener.Close(_listener);
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
        while (await LoopbackHttpListener.NextAsync(_listener, _stopping.Task) is { } context)
        {
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
