using Arcp.Protocol.Envelopes;

namespace Arcp.Protocol.Messages;

/// <summary><c>session.pong</c> (both directions): answer to a ping.</summary>
/// <param name="PingNonce">The ping's nonce.</param>
/// <param name="ReceivedAt">Time the ping was received.</param>
public sealed record SessionPong(string PingNonce, DateTimeOffset ReceivedAt) : ArcpPayload;
