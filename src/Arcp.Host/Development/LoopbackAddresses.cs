using System.Net;

namespace Arcp.Host.Development;

/// <summary>Whether the addresses a server listens on are reachable from this machine only.</summary>
internal static class LoopbackAddresses
{
    /// <summary>True when there is at least one address and every one is <c>localhost</c> or a loopback IP.</summary>
    public static bool AreAllLoopback(IReadOnlyCollection<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        return addresses.Count > 0 && addresses.All(IsLoopback);
    }

    private static bool IsLoopback(string address)
    {
        // Wildcards such as http://+:80 and http://*:80 are not valid URIs and bind every interface.
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.IsLoopback || IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
