namespace Arcp.Runtime.Delivery;

/// <summary>
/// Client connections held by a relay service (Azure Web PubSub): the runtime does not own the sockets, it asks the
/// service to send to, close, or check a connection by id.
/// </summary>
public interface IConnectionHub
{
    /// <summary>Sends one text frame to a connection.</summary>
    Task SendAsync(string connectionId, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken);

    /// <summary>Closes a connection.</summary>
    Task CloseAsync(string connectionId, string reason, CancellationToken cancellationToken);

    /// <summary>Whether the connection is still open.</summary>
    Task<bool> ExistsAsync(string connectionId, CancellationToken cancellationToken);
}
