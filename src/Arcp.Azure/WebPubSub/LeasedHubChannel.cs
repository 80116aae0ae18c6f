using Arcp.Runtime.Delivery;

namespace Arcp.Azure.WebPubSub;

/// <summary>A Web PubSub connection as a delivery channel: REST sends, exclusive under the session's delivery lease.</summary>
internal sealed class LeasedHubChannel(DeliveryLeaseHandle lease, IConnectionHub hub, string connectionId) : IDeliveryChannel
{
    public long DeliveredSeq => lease.DeliveredSeq;

    public ValueTask<bool> EnsureHeldAsync(CancellationToken cancellationToken) => lease.EnsureHeldAsync(cancellationToken);

    public async ValueTask SendAsync(OutboundEnvelope envelope, CancellationToken cancellationToken)
    {
        await hub.SendAsync(connectionId, envelope.Utf8, cancellationToken).ConfigureAwait(false);
        lease.Advance(envelope.Seq);
    }
}
