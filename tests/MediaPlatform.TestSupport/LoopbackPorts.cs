using System.Net;
using System.Net.Sockets;

namespace MediaPlatform.TestSupport;

/// <summary>Free TCP ports on loopback for the servers tests start (callers retry if one is taken before they bind).</summary>
public static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
