namespace Arcp.Runtime.Sessions;

/// <summary>Whether a control frame must reach the client in order with the session's events.</summary>
public enum FrameOrdering
{
    /// <summary>In order with events (welcome, job.accepted, job.cancelled, listings).</summary>
    WithEvents,

    /// <summary>Nothing a client orders against events (<c>session.error</c>, <c>session.pong</c>).</summary>
    Unordered,
}
