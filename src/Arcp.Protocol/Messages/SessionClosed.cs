using Arcp.Protocol.Envelopes;

namespace Arcp.Protocol.Messages;

/// <summary><c>session.closed</c> (out): acknowledgement of a close.</summary>
/// <param name="Reason">Optional reason.</param>
public sealed record SessionClosed(string? Reason = null) : ArcpPayload;
