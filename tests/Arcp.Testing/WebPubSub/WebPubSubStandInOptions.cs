namespace Arcp.Testing.WebPubSub;

/// <summary>How a <see cref="WebPubSubStandIn"/> runs: where it listens, where it posts events, and which auth mode it is in.</summary>
public sealed class WebPubSubStandInOptions
{
    /// <summary>The identity the app's managed-identity endpoint issues tokens for in Entra mode (its <c>azp</c>).</summary>
    public const string DefaultAppClientId = "9b2e4a71-0c5d-4f3e-8a61-2d7c4e9f0b33";

    /// <summary>Where the stand-in listens; port 0 picks a free one.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    /// <summary>The hub served.</summary>
    public string Hub { get; set; } = "arcp";

    /// <summary>The primary access key; a random one when unset.</summary>
    public string? AccessKey { get; set; }

    /// <summary>The secondary access key; a random one when unset. Upstream events are signed with both.</summary>
    public string? SecondaryKey { get; set; }

    /// <summary>Where upstream events are posted (the runtime's <c>/api/webpubsub</c>).</summary>
    public Uri? UpstreamUrl { get; set; }

    /// <summary>Added before every REST answer, to model the service's round trip.</summary>
    public TimeSpan RestLatency { get; set; }

    /// <summary>
    /// Entra mode (local auth disabled): REST calls must carry an Entra token for <c>https://webpubsub.azure.com</c>,
    /// upstream events carry a managed-identity token for <see cref="UpstreamAudience"/> instead of signatures, and
    /// the stand-in serves the token authority and an App Service managed-identity endpoint.
    /// </summary>
    public bool Entra { get; set; }

    /// <summary>The hub's <c>auth.managedIdentity.resource</c>: the audience of upstream tokens in Entra mode.</summary>
    public string UpstreamAudience { get; set; } = "api://arcp-upstream";

    /// <summary>The client id of the service's own identity (the <c>azp</c> of its upstream tokens).</summary>
    public string ServiceClientId { get; set; } = FakeEntraAuthority.DefaultClientId;

    /// <summary>The client id the managed-identity endpoint issues the app's tokens for.</summary>
    public string AppClientId { get; set; } = DefaultAppClientId;

    /// <summary>Writes request logs to the console (the runnable stand-in).</summary>
    public bool ConsoleLogging { get; set; }
}
