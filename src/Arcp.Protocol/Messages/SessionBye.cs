using Arcp.Protocol.Envelopes;

namespace Arcp.Protocol.Messages;

/// <summary><c>session.bye</c> (in): graceful close request (alternate name).</summary>
/// <param name="Reason">Optional reason.</param>
public sealed record SessionBye(string? Reason = null) : ArcpPayload;
