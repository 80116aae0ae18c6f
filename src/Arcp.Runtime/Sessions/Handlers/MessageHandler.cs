using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Messages;

namespace Arcp.Runtime.Sessions.Handlers;

/// <summary>A handler of one payload type, given the payload typed.</summary>
internal abstract class MessageHandler<TPayload> : IMessageHandler
    where TPayload : ArcpPayload
{
    /// <inheritdoc />
    public IReadOnlyList<Type> PayloadTypes { get; } = [typeof(TPayload)];

    /// <inheritdoc />
    public virtual MessagePhase Phase => MessagePhase.Open;

    /// <inheritdoc />
    public Task HandleAsync(SessionConnection connection, ArcpMessage message, CancellationToken cancellationToken) =>
        HandleAsync(connection, message, (TPayload)message.Payload, cancellationToken);

    /// <summary>Handles the message with its payload.</summary>
    protected abstract Task HandleAsync(SessionConnection connection, ArcpMessage message, TPayload payload, CancellationToken cancellationToken);
}
