namespace Arcp.Runtime.Sessions;

/// <summary>Session behaviour (settings <c>Arcp:Sessions:*</c>).</summary>
public sealed class ArcpSessionOptions
{
    /// <summary>Name in <c>session.welcome.runtime</c>.</summary>
    public string RuntimeName { get; set; } = "arcp-functions";

    /// <summary>Version in <c>session.welcome.runtime</c>.</summary>
    public string RuntimeVersion { get; set; } = "1.0.0";

    /// <summary>How long a detached session stays resumable (from the moment it detached).</summary>
    public int ResumeWindowSec { get; set; } = 600;

    /// <summary>Heartbeat interval announced when <c>heartbeat</c> is negotiated.</summary>
    public int HeartbeatIntervalSec { get; set; } = 30;

    /// <summary>Unacknowledged events above which a <c>back_pressure</c> status is emitted (when <c>ack</c> is negotiated).</summary>
    public int BackPressureThreshold { get; set; } = 1000;

    /// <summary>Most sessions one principal may have attached at once, counted in storage across every node (§14).</summary>
    public int MaxSessionsPerPrincipal { get; set; } = 100;

    /// <summary>Inbound messages per second a connection may sustain (§14); bursts up to twice this.</summary>
    public int MaxInboundPerSecond { get; set; } = 200;

    /// <summary>A connection that sends nothing but heartbeats for this long and has no live job is closed (§14).</summary>
    public TimeSpan IdleDisconnectAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Largest inbound frame.</summary>
    public int MaxFrameBytes { get; set; } = 1024 * 1024;

    /// <summary>How often a delivery loop looks for events written by other processes.</summary>
    public TimeSpan DeliveryPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Longest wait between two looks at storage of a connected session with no job left to deliver (none submitted,
    /// or every one delivered through its terminal): its poll doubles from <see cref="DeliveryPollInterval"/> up to
    /// this while nothing arrives. Only events no local signal announces wait this long (see docs/delivery.md).
    /// </summary>
    public TimeSpan IdleDeliveryPollCeiling { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a connection's delivery may keep failing (storage errors, retried with backoff) before the connection is
    /// closed with a retryable <c>INTERNAL_ERROR</c>, so its client resumes instead of waiting on a silent session.
    /// </summary>
    public TimeSpan DeliveryFailureLimit { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a relayed transport's (Web PubSub) delivery lease lasts between renewals; a burst renews it after a
    /// third of this, and a node that stalls longer loses it to the next sender.
    /// </summary>
    public TimeSpan DeliveryLeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Default and largest page of <c>session.list_jobs</c>.</summary>
    public int DefaultListLimit { get; set; } = 100;

    /// <summary>Largest page of <c>session.list_jobs</c>.</summary>
    public int MaxListLimit { get; set; } = 500;

    /// <summary>Features this runtime offers (the welcome sends the intersection with the client's).</summary>
    public IReadOnlyList<string> Features { get; set; } =
        ["heartbeat", "ack", "list_jobs", "subscribe", "lease_expires_at", "cost.budget", "model.use", "progress", "result_chunk", "agent_versions"];
}
