using System.Net;

namespace MediaPlatform.TestSupport.Http;

/// <summary>Starts an <see cref="HttpListener"/> on a free loopback port, trying another port when the one probed is taken.</summary>
public static class LoopbackHttpListener
{
    private const int Attempts = 10;

    /// <summary>
    /// A started listener for <c>http://127.0.0.1:{port}{path}</c>. A free port can be taken by someone else between
    /// probing and binding (tests run in parallel, and outgoing connections use the same range), so a refused bind is
    /// retried on another port. <paramref name="pickPort"/> chooses the candidates (tests of this retry pass taken ones).
    /// </summary>
    public static (HttpListener Listener, int Port) Start(string path = "/", Func<int>? pickPort = null)
    {
        pickPort ??= LoopbackPorts.Free;
        for (var attempt = 1; ; attempt++)
        {
            var port = pickPort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}{path}");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < Attempts)
            {
                // Nothing to release: a listener that failed to start holds no socket.
            }
        }
    }

    /// <summary>
    /// Stops and closes <paramref name="listener"/> in one step. Not <c>Stop()</c> then <c>Close()</c>: on Linux each
    /// unregisters the prefixes, and the second finds no endpoint for the port and binds it again to remove them; if
    /// another test took the freed port in between, <c>Close()</c> throws "Address already in use" (a CI failure
    /// of <c>HttpMediaFetcherTests</c> on 2026-12-05).
    /// </summary>
    public static void Close(HttpListener listener) => listener.Close();

    /// <summary>
    /// The next request, or null once <paramref name="stopping"/> completes or the listener is closed. A wait for a
    /// request that began as the listener closed can stay pending (seen once: a dispose right after the start waited
    /// out its 5 s for the loop), so a server's loop waits on its own stop signal too.
    /// </summary>
    public static async Task<HttpListenerContext?> NextAsync(HttpListener listener, Task stopping)
    {
        ArgumentNullException.ThrowIfNull(listener);
        if (!listener.IsListening)
        {
            return null;
        }

        try
        {
            var pending = listener.GetContextAsync();
            if (await Task.WhenAny(pending, stopping) == pending)
            {
                return await pending;
            }

            _ = pending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return null;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            return null;
        }
    }
}
