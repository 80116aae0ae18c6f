using System.Net;

namespace Arcp.Host.Sessions;

/// <summary>Whether a request reached the host over a transport fit for secrets (§14): encrypted, or from this machine.</summary>
internal static class TransportSecurity
{
    /// <summary>True for <c>https</c>/<c>wss</c>, and for loopback clients (their traffic never leaves the machine).</summary>
    public static bool IsSecure(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.IsHttps || context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote);
    }
}
