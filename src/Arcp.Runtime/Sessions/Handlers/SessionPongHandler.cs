using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary><c>session.pong</c>: its arrival already counted as liveness; nothing else to do.</summary>
internal sealed class SessionPongHandler : MessageHandler<SessionPong>
{
    public override MessagePhase Phase => MessagePhase.Any;

    protected override Task HandleAsync(SessionConnection connection, ArcpMessage message, SessionPong payload, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
