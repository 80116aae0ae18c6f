namespace Arcp.Azure.WebPubSub;

/// <summary>The Azure Web PubSub hub the runtime's clients connect through (settings <c>Arcp:WebPubSub:*</c>).</summary>
public sealed class WebPubSubOptions
{
    /// <summary>The service endpoint, e.g. <c>https://name.webpubsub.azure.com</c>. Web PubSub is off when unset.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The hub name.</summary>
    public string Hub { get; set; } = "arcp";

    /// <summary>
    /// Access keys (primary, optionally secondary, separated by <c>;</c>). With a key, REST calls and client tokens are
    /// signed locally and upstream signatures are checked; without one, REST calls use Entra ID (managed identity).
    /// </summary>
    public string? AccessKeys { get; set; }

    /// <summary>
    /// With access keys disabled, the audience of the Entra token Web PubSub sends upstream (the hub's
    /// <c>auth.managedIdentity.resource</c>). Upstream events are refused when neither keys nor this are configured.
    /// </summary>
    public string? UpstreamAudience { get; set; }

    /// <summary>The token authority, e.g. <c>https://login.microsoftonline.com/&lt;tenant&gt;/v2.0</c>.</summary>
    public string? UpstreamAuthority { get; set; }

    /// <summary>
    /// The client id(s) (<c>;</c>-separated) of the identity the hub gets its upstream tokens with: a token is accepted
    /// only when its <c>appid</c> (v1) or <c>azp</c> (v2) claim names one of them, so another identity of the tenant that
    /// can get a token for the audience is still refused. Managed-identity upstream authentication is off without it.
    /// </summary>
    public string? UpstreamClientIds { get; set; }

    /// <summary>Lifetime of the client access token <c>negotiate</c> hands out.</summary>
    public TimeSpan ClientTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The keys, parsed.</summary>
    public IReadOnlyList<string> Keys => (AccessKeys ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The upstream client ids, parsed.</summary>
    public IReadOnlyList<string> UpstreamClients => (UpstreamClientIds ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Whether the hub is configured.</summary>
    public bool IsEnabled => Endpoint is not null;
}
