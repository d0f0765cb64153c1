using System.Net.Sockets;

namespace MediaPlatform.TestSupport.Postgres;

/// <summary>Asks whether a Docker engine answers <c>/_ping</c> within two seconds (a client binary alone does not count).</summary>
internal static class DockerEngine
{
    public static async Task<bool> AnswersAsync()
    {
        if (Environment.GetEnvironmentVariable("MEDIAPLATFORM_TEST_DOCKER") == "0")
        {
            return false;
        }

        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        var socketPath = host is null ? "/var/run/docker.sock"
            : host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..]
            : null;
        if (socketPath is not null && !File.Exists(socketPath))
        {
            return false;
        }

        using var handler = new SocketsHttpHandler();
        if (socketPath is not null)
        {
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            };
        }

        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var baseAddress = socketPath is not null ? "http://docker" : host!.Replace("tcp://", "http://", StringComparison.Ordinal);
        try
        {
            using var response = await client.GetAsync(new Uri(new Uri(baseAddress), "/_ping"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException or IOException)
        {
            return false;
        }
    }
}
