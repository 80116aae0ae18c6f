namespace Arcp.Runtime.Delivery;

/// <summary>What a pump did: envelopes sent and why it stopped (<see cref="Floor"/> with <see cref="PumpStop.WindowExpired"/>).</summary>
public sealed record PumpResult(int Sent, PumpStop Stop)
{
    /// <summary>The outbox floor, when the window expired.</summary>
    public long Floor { get; init; }
}
