namespace Arcp.Runtime.Delivery;

/// <summary>
/// What differs between transports when the pump sends a session's outbox: how sending is made exclusive (an
/// in-process gate for a direct WebSocket; the storage lease for a relayed connection) and where the bytes go.
/// </summary>
public interface IDeliveryChannel
{
    /// <summary>Highest seq already sent on this channel.</summary>
    long DeliveredSeq { get; }

    /// <summary>True while this channel may still send; checked before every frame.</summary>
    ValueTask<bool> EnsureHeldAsync(CancellationToken cancellationToken);

    /// <summary>Sends one envelope and records it as delivered.</summary>
    ValueTask SendAsync(OutboundEnvelope envelope, CancellationToken cancellationToken);
}
