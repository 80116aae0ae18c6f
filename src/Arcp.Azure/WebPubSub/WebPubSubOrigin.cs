namespace Arcp.Azure.WebPubSub;

/// <summary>
/// The abuse-protection rule: the service names itself in <c>WebHook-Request-Origin</c> by its host name; only the
/// configured endpoint's host is allowed, so no other webhook sender can make this handler accept its events.
/// </summary>
internal static class WebPubSubOrigin
{
    public static bool IsAllowed(Uri? endpoint, string? origin) =>
        endpoint is not null
        && !string.IsNullOrWhiteSpace(origin)
        && string.Equals(origin.Trim(), endpoint.IdnHost, StringComparison.OrdinalIgnoreCase);
}
