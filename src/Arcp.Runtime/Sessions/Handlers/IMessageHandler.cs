using Arcp.Protocol.Envelopes;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary>
/// Handles the inbound messages of some payload types. The dispatcher has already applied the checks every message
/// shares (rate, parse, replay, phase), so a handler only decides its own message; bad input is answered with a
/// <c>session.error</c>, a fault is thrown (the dispatcher turns it into <c>INTERNAL_ERROR</c>).
/// </summary>
internal interface IMessageHandler
{
    /// <summary>The payload types handled (each by exactly one handler).</summary>
    IReadOnlyList<Type> PayloadTypes { get; }

    /// <summary>When in the session's life the messages are accepted.</summary>
    MessagePhase Phase { get; }

    /// <summary>Handles one parsed message.</summary>
    Task HandleAsync(SessionConnection connection, ArcpMessage message, CancellationToken cancellationToken);
}
