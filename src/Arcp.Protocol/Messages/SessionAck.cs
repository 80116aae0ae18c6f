using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Messages;

/// <summary><c>session.ack</c> (in): highest processed <c>event_seq</c> (advisory).</summary>
/// <param name="LastProcessedSeq">Highest processed sequence number (≥ 0).</param>
public sealed record SessionAck(long LastProcessedSeq) : ArcpPayload
{
    internal override ProtocolError? Validate() => PayloadChecks.AtLeast(LastProcessedSeq, 0, "last_processed_seq");
}
