using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Sessions;

/// <summary>Sends control messages (no <c>event_seq</c>) on a connection: replies, errors, pings.</summary>
internal sealed class SessionSender(TimeProvider timeProvider)
{
    private readonly EnvelopeFactory _envelopes = new(timeProvider);

    /// <summary>Sends a control message on the connection.</summary>
    public ValueTask SendAsync(SessionConnection connection, ArcpPayload payload, string? jobId = null, string? traceId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var message = _envelopes.Create(connection.SessionId, payload, jobId, traceId: traceId);
        var ordering = payload is SessionError or SessionPong ? FrameOrdering.Unordered : FrameOrdering.WithEvents;
        return connection.Output.SendControlAsync(message.ToUtf8Bytes(), ordering, cancellationToken);
    }

    /// <summary>Sends a <c>session.error</c>.</summary>
    public Task SendErrorAsync(SessionConnection connection, ProtocolError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        return SendAsync(connection, error.ToSessionError(), cancellationToken: cancellationToken).AsTask();
    }
}
