using Arcp.Runtime.Telemetry;

namespace Arcp.Runtime.Delivery;

/// <summary>
/// The outbox → connection pump, shared by every transport: reads a session's outbox after what the channel already
/// sent and sends it in seq order, checking before each frame that the channel may still send.
/// </summary>
public sealed class OutboxPump(OutboxReader outbox, TimeProvider timeProvider)
{
    /// <summary>Envelopes read per outbox read.</summary>
    public const int BatchSize = 256;

    /// <summary>Sends up to <paramref name="maxBatches"/> outbox reads' worth of envelopes through <paramref name="channel"/>.</summary>
    public Task<PumpResult> PumpAsync(string sessionId, IDeliveryChannel channel, int maxBatches, CancellationToken cancellationToken) =>
        PumpAsync(sessionId, channel, maxBatches, recentFirst: false, cancellationToken);

    /// <summary>
    /// Sends up to <paramref name="maxBatches"/> outbox reads' worth of envelopes through <paramref name="channel"/>;
    /// <paramref name="recentFirst"/> lets a live connection take what this node just synced from memory.
    /// </summary>
    public async Task<PumpResult> PumpAsync(string sessionId, IDeliveryChannel channel, int maxBatches, bool recentFirst, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var sent = 0;
        for (var batch = 0; batch < maxBatches; batch++)
        {
            var after = channel.DeliveredSeq;
            switch (await outbox.ReadAsync(sessionId, after, BatchSize, recentFirst, cancellationToken).ConfigureAwait(false))
            {
                case OutboxBatch.Envelopes { Items: var items, LastIssuedSeq: var issued }:
                    if (items.Count == 0)
                    {
                        return new PumpResult(sent, PumpStop.Drained);
                    }

                    ArcpTelemetry.OutboxLag.Record(issued - after);
                    foreach (var envelope in items)
                    {
                        if (!await channel.EnsureHeldAsync(cancellationToken).ConfigureAwait(false))
                        {
                            return new PumpResult(sent, PumpStop.Lost);
                        }

                        await channel.SendAsync(envelope, cancellationToken).ConfigureAwait(false);
                        ArcpTelemetry.RecordDelivery(timeProvider.GetUtcNow(), envelope.EmittedAt);
                        sent++;
                    }

                    if (items.Count < BatchSize && channel.DeliveredSeq >= issued)
                    {
                        return new PumpResult(sent, PumpStop.Drained);
                    }

                    break;
                case OutboxBatch.WindowExpired expired:
                    return new PumpResult(sent, PumpStop.WindowExpired) { Floor = expired.Floor };
                default:
                    return new PumpResult(sent, PumpStop.NotFound);
            }
        }

        return new PumpResult(sent, PumpStop.More);
    }
}
