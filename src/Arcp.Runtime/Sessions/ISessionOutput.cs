namespace Arcp.Runtime.Sessions;

/// <summary>The way out to one client connection (a WebSocket, or a Web PubSub connection).</summary>
public interface ISessionOutput
{
    /// <summary>Queues one frame; waits when the client is slow (back-pressure on this connection only).</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken);

    /// <summary>Closes the transport after the queued frames.</summary>
    ValueTask CloseAsync(string reason, CancellationToken cancellationToken);
}
