using System.Net;
using System.Net.Sockets;
using MediaPlatform.TestSupport;
using MediaPlatform.TestSupport.Http;

namespace MediaPlatform.Infrastructure.Tests.TestSupport;

/// <summary>The loopback HTTP servers the tests start: a port taken between probing and binding must not fail a test.</summary>
public sealed class LoopbackHttpListenerTests
{
    [Fact]
    public async Task A_server_whose_probed_port_is_taken_starts_on_another_and_answers()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var candidates = new Queue<int>([taken, taken]);

        using var server = new LocalHttpServer(
            context =>
            {
                context.Response.StatusCode = 204;
                return Task.CompletedTask;
            },
            () => candidates.Count > 0 ? candidates.Dequeue() : LoopbackPorts.Free());

        Assert.NotEqual(taken, server.Port);
        using var client = new HttpClient();
        using var response = await client.GetAsync(server.BaseAddress);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public void A_port_that_stays_taken_is_reported_after_the_attempts_run_out()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var tried = 0;

        var error = Assert.Throws<HttpListenerException>(() => LoopbackHttpListener.Start(pickPort: () =>
        {
            tried++;
            return taken;
        }));

        Assert.Equal(10, tried);
        Assert.Contains("in use", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_disposed_server_frees_its_port_at_once_and_a_second_dispose_does_nothing()
    {
        var server = new LocalHttpServer(_ => Task.CompletedTask);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        server.Dispose();
        server.Dispose();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"dispose took {watch.Elapsed}");
        using var next = new TcpListener(IPAddress.Loopback, server.Port);
        next.Start();
    }
}
