using Arcp.Protocol.Parsing;

namespace Arcp.Client;

/// <summary>Settings of an <see cref="ArcpClient"/>: where to connect, how to authenticate, what to negotiate and how to recover.</summary>
public sealed class ArcpClientOptions
{
    /// <summary>The features requested by default: everything this client understands.</summary>
    public static IReadOnlyList<string> DefaultFeatures { get; } =
        ["heartbeat", "ack", "list_jobs", "subscribe", "progress", "result_chunk", "lease_expires_at", "cost.budget", "agent_versions"];

    /// <summary>
    /// Gets or sets the endpoint: a WebSocket URL (<c>ws://host:5080/arcp</c>, <c>wss://…</c>), or an HTTP(S) negotiate URL
    /// that answers a bearer-authenticated GET with <c>{"url": "wss://…"}</c>, the WebSocket URL to connect to.
    /// </summary>
    public Uri? Url { get; set; }

    /// <summary>Gets or sets the bearer token sent in <c>session.hello</c> (and to the negotiate URL). Never logged.</summary>
    public string? Token { get; set; }

    /// <summary>Gets or sets the features to request; the session uses the intersection with what the runtime offers.</summary>
    public IReadOnlyList<string> Features { get; set; } = DefaultFeatures;

    /// <summary>Gets or sets the client name sent in <c>session.hello</c>.</summary>
    public string ClientName { get; set; } = "arcp-dotnet";

    /// <summary>Gets or sets the client version sent in <c>session.hello</c>.</summary>
    public string ClientVersion { get; set; } = typeof(ArcpClientOptions).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";

    /// <summary>Gets or sets how a dropped connection is re-established and the session resumed.</summary>
    public ArcpReconnectPolicy Reconnect { get; set; } = new();

    /// <summary>Gets or sets how long to wait for the connection and the welcome.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Gets or sets how many heartbeat intervals may pass without any inbound frame before the connection is presumed
    /// dead and resumed (only when <c>heartbeat</c> was negotiated).
    /// </summary>
    public double HeartbeatToleranceIntervals { get; set; } = 2.5;

    /// <summary>Gets or sets the minimum time between two <c>session.ack</c> messages (only when <c>ack</c> was negotiated).</summary>
    public TimeSpan AckInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets the largest inbound frame accepted (result chunks carry up to 1 MiB of data).</summary>
    public int MaxFrameBytes { get; set; } = 16 * ArcpParserOptions.DefaultMaxFrameBytes;

    /// <summary>Gets or sets the clock used for timestamps, backoff and liveness.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (Url is null)
        {
            throw new ArgumentException("ArcpClientOptions.Url is required.", nameof(Url));
        }

        if (Url.Scheme is not ("ws" or "wss" or "http" or "https"))
        {
            throw new ArgumentException($"Unsupported URL scheme '{Url.Scheme}': use ws, wss, http or https.", nameof(Url));
        }

        ArgumentNullException.ThrowIfNull(Features);
        ArgumentNullException.ThrowIfNull(Reconnect);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentException.ThrowIfNullOrEmpty(ClientName);
        ArgumentException.ThrowIfNullOrEmpty(ClientVersion);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatToleranceIntervals, 1.0);
    }
}
