using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Json;
using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary><c>session.ping</c>: answered with a <c>session.pong</c> carrying its nonce, open or not.</summary>
internal sealed class SessionPingHandler(SessionSender sender, TimeProvider timeProvider) : MessageHandler<SessionPing>
{
    public override MessagePhase Phase => MessagePhase.Any;

    protected override Task HandleAsync(SessionConnection connection, ArcpMessage message, SessionPing payload, CancellationToken cancellationToken) =>
        sender.SendAsync(connection, new SessionPong(payload.Nonce, ArcpTimestamp.Truncate(timeProvider.GetUtcNow())), cancellationToken: cancellationToken).AsTask();
}
