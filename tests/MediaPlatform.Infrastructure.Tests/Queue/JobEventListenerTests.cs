using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MediaPlatform.Infrastructure.Persistence;
using MediaPlatform.Infrastructure.Queue;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MediaPlatform.Infrastructure.Tests.Queue;

/// <summary>The notification listener's own connection, against a database that does not answer.</summary>
public sealed class JobEventListenerTests
{
    [Fact]
    public async Task Stopping_while_the_database_accepts_but_never_answers_does_not_wait_out_the_connection_timeout()
    {
        // A real peer on loopback that takes the connection and then says nothing, as a hung server or a half-dead
        // network path does: opening a connection to it only ends at the connection timeout.
        using var peer = new TcpListener(IPAddress.Loopback, 0);
        peer.Start();
        var accepted = peer.AcceptSocketAsync();
        var options = Options.Create(new DatabaseOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={((IPEndPoint)peer.LocalEndpoint).Port};Database=mediaplatform;Username=postgres;Password=unused",
            ConnectionTimeoutSeconds = 60,
        });
        using var listener = new JobEventListener(options, new JobEventHub(), TimeProvider.System, NullLogger<JobEventListener>.Instance);

        await listener.StartAsync(CancellationToken.None);
        using var connection = await accepted.WaitAsync(TimeSpan.FromSeconds(20)); // the listener is opening its connection
        await Task.Delay(TimeSpan.FromSeconds(1)); // and has sent its first message and waits for the answer (the hard case)
        var stopping = Stopwatch.StartNew();
        await listener.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"Stopping took {stopping.Elapsed.TotalSeconds:F1} s: it waited for the 60 s connection timeout.");
    }
}
