namespace Arcp.Runtime.Sessions.Handlers;

/// <summary>When in a session's life a message type is accepted.</summary>
internal enum MessagePhase
{
    /// <summary>Only before the welcome (the handshake); once open it is answered "already open".</summary>
    Handshake,

    /// <summary>Only in an open session; before it the client is told to say <c>session.hello</c> first.</summary>
    Open,

    /// <summary>Either way (liveness).</summary>
    Any,
}
