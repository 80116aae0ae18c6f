namespace Arcp.Runtime.Sessions;

/// <summary>What <see cref="HeartbeatPolicy"/> asks a transport to do.</summary>
internal enum HeartbeatDecision
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>Send <c>session.ping</c>.</summary>
    Ping,

    /// <summary>Send <c>HEARTBEAT_LOST</c>, close the transport and detach (jobs untouched).</summary>
    Lost,

    /// <summary>Idle beyond the limit: close and detach.</summary>
    Idle,
}
