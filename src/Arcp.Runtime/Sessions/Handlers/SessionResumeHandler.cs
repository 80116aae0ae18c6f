using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary>
/// A bare <c>session.resume</c>: the token is its only credential and the principal carries over (as the public
/// ARCP SDKs expect); the token does not rotate and no welcome is sent.
/// </summary>
internal sealed class SessionResumeHandler(SessionResumption resumption) : MessageHandler<SessionResume>
{
    public override MessagePhase Phase => MessagePhase.Handshake;

    protected override Task HandleAsync(SessionConnection connection, ArcpMessage message, SessionResume payload, CancellationToken cancellationToken) =>
        resumption.ResumeAsync(connection, message, payload.ResumeToken, payload.SessionId, payload.LastEventSeq, principal: null, features: null, sendWelcome: false, cancellationToken);
}
