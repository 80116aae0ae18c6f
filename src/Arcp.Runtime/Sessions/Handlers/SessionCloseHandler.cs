using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary>
/// <c>session.close</c> and <c>session.bye</c>: <c>session.closed</c> goes out in order with events, observer
/// subscriptions end (as the public ARCP SDKs expect), the session is detached and the transport closed. The jobs run on.
/// </summary>
internal sealed class SessionCloseHandler(ISessionStore sessions, SessionSender sender, SessionDetacher detacher) : IMessageHandler
{
    public IReadOnlyList<Type> PayloadTypes { get; } = [typeof(SessionClose), typeof(SessionBye)];

    public MessagePhase Phase => MessagePhase.Open;

    public async Task HandleAsync(SessionConnection connection, ArcpMessage message, CancellationToken cancellationToken)
    {
        var reason = message.Payload switch
        {
            SessionClose close => close.Reason,
            SessionBye bye => bye.Reason,
            _ => throw new ArgumentException($"Not a close: {message.Type}.", nameof(message)),
        };

        await connection.SendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await sender.SendAsync(connection, new SessionClosed(reason), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            connection.SendGate.Release();
        }

        foreach (var sub in await sessions.GetSubscriptionsAsync(connection.SessionId, cancellationToken).ConfigureAwait(false))
        {
            if (!sub.IsSubmitter)
            {
                await sessions.UnsubscribeAsync(connection.SessionId, sub.JobId, cancellationToken).ConfigureAwait(false);
            }
        }

        await detacher.DetachAsync(connection, cancellationToken).ConfigureAwait(false);
        await connection.Output.CloseAsync(reason ?? "session closed", cancellationToken).ConfigureAwait(false);
    }
}
