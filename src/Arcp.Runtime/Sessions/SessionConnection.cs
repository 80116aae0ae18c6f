namespace Arcp.Runtime.Sessions;

/// <summary>
/// One client connection and what this node caches about its session. Storage is the truth; this is what lets the
/// node answer without a read per message. Frames to the client go through <see cref="Output"/>; <see cref="SendGate"/>
/// orders control replies against event delivery (e.g. <c>job.cancelled</c> before the terminal <c>job.error</c>).
/// </summary>
public sealed class SessionConnection
{
    /// <summary>Creates the connection with a provisional session id (used on errors before the welcome).</summary>
    public SessionConnection(string connectionId, string provisionalSessionId, ISessionOutput output, DateTimeOffset now)
    {
        ConnectionId = connectionId;
        SessionId = provisionalSessionId;
        Output = output;
        LastInboundAt = now;
        LastActivityAt = now;
        LastDeliveryAt = now;
    }

    /// <summary>This transport connection's id.</summary>
    public string ConnectionId { get; }

    /// <summary>The session id (provisional until the welcome).</summary>
    public string SessionId { get; internal set; }

    /// <summary>The authenticated principal, once welcomed.</summary>
    public string? Principal { get; internal set; }

    /// <summary>Negotiated features.</summary>
    public IReadOnlyList<string> Features { get; internal set; } = [];

    /// <summary>Whether the transport is encrypted, or local to this machine (decides whether credentials are offered).</summary>
    public bool IsSecureTransport { get; init; } = true;

    /// <summary>True after <c>session.welcome</c> (or a bare <c>session.resume</c>) succeeded.</summary>
    public bool IsOpen { get; internal set; }

    /// <summary>True while this connection is counted in the open-sessions metric.</summary>
    internal bool CountedOpen { get; set; }

    /// <summary>True once the session was closed or the transport is going away.</summary>
    public bool IsClosing { get; internal set; }

    /// <summary>Highest <c>event_seq</c> already sent on this connection.</summary>
    public long DeliveredSeq { get; internal set; }

    /// <summary>Highest seq the client acknowledged (cache of the stored value).</summary>
    public long AckedSeq { get; internal set; }

    /// <summary>When the last inbound frame arrived (any kind counts for liveness).</summary>
    public DateTimeOffset LastInboundAt { get; internal set; }

    /// <summary>When the last inbound frame other than a heartbeat arrived (idle detection, §14).</summary>
    public DateTimeOffset LastActivityAt { get; internal set; }

    /// <summary>When the last event envelope was sent.</summary>
    public DateTimeOffset LastDeliveryAt { get; internal set; }

    /// <summary>Where frames go.</summary>
    public ISessionOutput Output { get; }

    /// <summary>Held while a handler's reply must not interleave with event delivery.</summary>
    public SemaphoreSlim SendGate { get; } = new(1, 1);

    /// <summary>Jobs whose terminal envelope this connection already delivered (no need to pull them again).</summary>
    internal HashSet<string> FinishedJobs { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Set when the session subscribed to a job over this connection. On Web PubSub, where a connection lives for
    /// one frame, it tells the transport to record the frame's time at once: that is how its sweeper, on any node,
    /// learns to pull the session at the live rate again.
    /// </summary>
    internal bool Subscribed { get; set; }

    /// <summary>True while a back-pressure status is outstanding (re-armed when lag halves).</summary>
    internal bool BackPressureSignalled { get; set; }

    /// <summary>Whether a feature was negotiated.</summary>
    public bool Has(string feature) => Features.Contains(feature, StringComparer.Ordinal);

    /// <summary>The inbound rate and replay limits of the transport connection (shared across messages of a relayed one).</summary>
    public InboundGuard Guard { get; init; } = new();

    /// <summary>Remembers an inbound id; false when it was seen recently (a replayed frame).</summary>
    internal bool TryRemember(string id) => Guard.TryRemember(id);

    /// <summary>Token bucket: false when the connection exceeds its inbound rate.</summary>
    internal bool TryAdmit(DateTimeOffset now, int perSecond) => Guard.TryAdmit(now, perSecond);
}
