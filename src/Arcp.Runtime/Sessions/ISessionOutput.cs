namespace Arcp.Runtime.Sessions;

/// <summary>The way out to one client connection (a WebSocket, or a Web PubSub connection).</summary>
public interface ISessionOutput
{
    /// <summary>Queues one frame; waits when the client is slow (back-pressure on this connection only).</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken);

    /// <summary>
    /// Queues one control frame the session layer produced. <paramref name="ordering"/> says whether it must reach the
    /// client in order with the session's events; a relayed transport uses it to pick the way out.
    /// </summary>
    ValueTask SendControlAsync(ReadOnlyMemory<byte> frame, FrameOrdering ordering, CancellationToken cancellationToken) => SendAsync(frame, cancellationToken);

    /// <summary>Closes the transport after the queued frames.</summary>
    ValueTask CloseAsync(string reason, CancellationToken cancellationToken);
}
