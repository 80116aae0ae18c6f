namespace Arcp.Runtime.Delivery;

/// <summary>
/// The delivery row of a session (stateless transports): who may send its frames until when, and how far the
/// connection it was last sending to got. Kept apart from the session's <c>meta</c> row so acks, inbound touches and
/// attaches never collide with a sender's renewals.
/// </summary>
public sealed record DeliveryLeaseRecord
{
    /// <summary>The session.</summary>
    public required string SessionId { get; init; }

    /// <summary>The holder's token, or null when free.</summary>
    public string? Owner { get; init; }

    /// <summary>Until when <see cref="Owner"/> holds the lease.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>The connection <see cref="DeliveredSeq"/> belongs to; a different attached connection starts from its attach position.</summary>
    public string? ConnectionId { get; init; }

    /// <summary>Highest seq sent to <see cref="ConnectionId"/>.</summary>
    public long DeliveredSeq { get; init; }

    /// <summary>Opaque version (storage ETag); empty for a row not yet written.</summary>
    public string Version { get; init; } = "";
}
