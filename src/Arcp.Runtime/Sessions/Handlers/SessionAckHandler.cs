using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary>
/// <c>session.ack</c> (§6.5): advisory. Records the highest acknowledged seq (never lowers it), frees acknowledged
/// outbox rows, and re-arms the back-pressure signal once the lag halved. Ignored unless <c>ack</c> was negotiated.
/// </summary>
internal sealed class SessionAckHandler(ISessionStore sessions, BackPressureSignal backPressure) : MessageHandler<SessionAck>
{
    protected override async Task HandleAsync(SessionConnection connection, ArcpMessage message, SessionAck payload, CancellationToken cancellationToken)
    {
        if (!connection.Has("ack"))
        {
            return;
        }

        var acked = Math.Min(payload.LastProcessedSeq, connection.DeliveredSeq);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var session = await sessions.GetAsync(connection.SessionId, cancellationToken).ConfigureAwait(false);
            if (session is null || session.LastAckedSeq >= acked)
            {
                break;
            }

            if (await sessions.TryUpdateAsync(session, session with { LastAckedSeq = acked }, cancellationToken).ConfigureAwait(false) is { } updated)
            {
                if (updated.LastAckedSeq - updated.OutboxFloor >= 64)
                {
                    await sessions.SweepAcknowledgedAsync(connection.SessionId, cancellationToken).ConfigureAwait(false);
                }

                break;
            }
        }

        connection.AckedSeq = Math.Max(connection.AckedSeq, acked);
        await backPressure.CheckAsync(connection, cancellationToken).ConfigureAwait(false);
    }
}
