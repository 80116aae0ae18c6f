namespace Arcp.Azure.WebPubSub;

/// <summary>How Web PubSub connection ids are recorded on a session, so stateless nodes can tell transports apart.</summary>
internal static class WebPubSubConnections
{
    public const string Prefix = "wps:";

    public static string ToSessionConnectionId(string connectionId) => Prefix + connectionId;

    public static bool TryGetConnectionId(string? sessionConnectionId, out string connectionId)
    {
        connectionId = sessionConnectionId is not null && sessionConnectionId.StartsWith(Prefix, StringComparison.Ordinal) ? sessionConnectionId[Prefix.Length..] : "";
        return connectionId.Length > 0;
    }
}
