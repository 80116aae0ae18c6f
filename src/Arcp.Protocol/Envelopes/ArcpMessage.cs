using Arcp.Protocol.Messages;

namespace Arcp.Protocol.Envelopes;

/// <summary>An ARCP envelope: header fields plus a typed payload. Produced by the parser for inbound frames and by <see cref="EnvelopeFactory"/> for outbound ones.</summary>
/// <param name="Id">Envelope id (<c>msg_</c> + ULID when minted here; any non-empty string inbound).</param>
/// <param name="Type">Envelope type, e.g. <c>job.submit</c>.</param>
/// <param name="Payload">Typed payload; <see cref="UnknownVendorMessage"/> for unknown <c>x-vendor.*</c> types.</param>
public sealed record ArcpMessage(string Id, string Type, ArcpPayload Payload)
{
    /// <summary>The protocol version written in every envelope.</summary>
    public const string ProtocolVersion = "1.1";

    /// <summary>Gets the session id.</summary>
    public string? SessionId { get; init; }

    /// <summary>Gets the job id of job-scoped envelopes.</summary>
    public string? JobId { get; init; }

    /// <summary>Gets the session-scoped sequence number (job.event, job.result, job.error only).</summary>
    public long? EventSeq { get; init; }

    /// <summary>Gets the trace id (inbound: any string; outbound: 32 lowercase hex).</summary>
    public string? TraceId { get; init; }

    /// <summary>Gets the envelope timestamp.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Gets whether this is an unknown vendor message the caller may drop silently.</summary>
    public bool IsVendorMessage => Payload is UnknownVendorMessage;

    /// <summary>Serializes this envelope to UTF-8 JSON (see <see cref="ArcpWriter"/>).</summary>
    public byte[] ToUtf8Bytes() => ArcpWriter.SerializeToUtf8Bytes(this);

    /// <summary>Serializes this envelope to a JSON string (see <see cref="ArcpWriter"/>).</summary>
    public string ToJson() => ArcpWriter.Serialize(this);
}
