using Arcp.Protocol.Envelopes;

namespace Arcp.Protocol.Messages;

/// <summary><c>session.close</c> (in): graceful close request (reference name).</summary>
/// <param name="Reason">Optional reason.</param>
public sealed record SessionClose(string? Reason = null) : ArcpPayload;
