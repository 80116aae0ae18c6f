namespace Arcp.Runtime.Sessions;

/// <summary>
/// The one heartbeat rule (§6.4, §14) for every transport: with <c>heartbeat</c> negotiated, ping once either direction
/// was quiet for an interval (as far as the transport knows), declare the heartbeat lost after two intervals without
/// any inbound message, and close a connection that exchanged nothing but heartbeats for the idle limit. The transport
/// only supplies the times it knows.
/// </summary>
internal sealed class HeartbeatPolicy(ArcpSessionOptions options)
{
    /// <summary>The negotiated interval.</summary>
    public TimeSpan Interval => TimeSpan.FromSeconds(options.HeartbeatIntervalSec);

    /// <summary>
    /// What to do now. <paramref name="lastOutboundAt"/>, <paramref name="lastActivityAt"/> and
    /// <paramref name="lastDeliveryAt"/> are null where the transport does not track them (the rules that need them
    /// are then not applied).
    /// </summary>
    public HeartbeatDecision Decide(bool heartbeatNegotiated, DateTimeOffset now, DateTimeOffset lastInboundAt, DateTimeOffset? lastOutboundAt = null, DateTimeOffset? lastActivityAt = null, DateTimeOffset? lastDeliveryAt = null)
    {
        var silent = now - lastInboundAt;
        if (heartbeatNegotiated && silent > 2 * Interval)
        {
            return HeartbeatDecision.Lost;
        }

        // Zero throughput both ways (only heartbeats) for the whole limit: disconnect-eligible (§14).
        if (lastActivityAt is { } activity && lastDeliveryAt is { } delivery && now - activity > options.IdleDisconnectAfter && now - delivery > options.IdleDisconnectAfter)
        {
            return HeartbeatDecision.Idle;
        }

        // A tenth of the interval early still counts as due: the checks run on a timer of one interval, which may fire
        // a little early, and a skipped ping leaves the peer two intervals without one.
        var due = Interval - (Interval / 10);
        var quiet = silent >= due || (lastOutboundAt is { } outbound && now - outbound >= due);
        return heartbeatNegotiated && quiet ? HeartbeatDecision.Ping : HeartbeatDecision.None;
    }

    /// <summary>The text of <c>HEARTBEAT_LOST</c>.</summary>
    public static string LostMessage(TimeSpan silent) => $"No message for {(int)silent.TotalSeconds} s; the session stays resumable.";
}
