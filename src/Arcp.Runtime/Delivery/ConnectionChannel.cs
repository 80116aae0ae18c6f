using Arcp.Runtime.Sessions;

namespace Arcp.Runtime.Delivery;

/// <summary>
/// A direct WebSocket as a delivery channel: this process owns the socket, so the connection's send gate (held by the
/// caller for the whole burst) is the exclusivity, and the connection object remembers what was sent.
/// </summary>
internal sealed class ConnectionChannel(SessionConnection connection, TimeProvider timeProvider) : IDeliveryChannel
{
    public long DeliveredSeq => connection.DeliveredSeq;

    /// <summary>The jobs whose envelopes this channel sent.</summary>
    public HashSet<string> SentJobs { get; } = new(StringComparer.Ordinal);

    public ValueTask<bool> EnsureHeldAsync(CancellationToken cancellationToken) => ValueTask.FromResult(!connection.IsClosing);

    public async ValueTask SendAsync(OutboundEnvelope envelope, CancellationToken cancellationToken)
    {
        await connection.Output.SendAsync(envelope.Utf8, cancellationToken).ConfigureAwait(false);
        connection.DeliveredSeq = envelope.Seq;
        connection.LastDeliveryAt = timeProvider.GetUtcNow();
        SentJobs.Add(envelope.JobId);
        if (envelope.IsTerminal)
        {
            connection.FinishedJobs.Add(envelope.JobId);
        }
    }
}
