using System.Net;
using System.Net.Sockets;

namespace Arcp.Testing;

/// <summary>Hands out loopback ports nobody listens on right now.</summary>
public static class FreePorts
{
    /// <summary>Binds port 0 and releases it; the OS will not hand the same port out again soon.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
