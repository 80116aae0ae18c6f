using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Messages;

/// <summary><c>session.ping</c> (both directions): liveness probe.</summary>
/// <param name="Nonce">Opaque nonce echoed by the pong.</param>
/// <param name="SentAt">Send time.</param>
public sealed record SessionPing(string Nonce, DateTimeOffset SentAt) : ArcpPayload
{
    internal override ProtocolError? Validate() => PayloadChecks.NonEmpty(Nonce, "nonce");
}
