using Arcp.Protocol.Envelopes;

namespace Arcp.Protocol.Messages;

/// <summary><c>job.cancelled</c> (out): cancellation acknowledged; precedes the terminal <c>job.error</c>.</summary>
/// <param name="JobId">Cancelled job.</param>
/// <param name="Reason">Reason from the request.</param>
public sealed record JobCancelled(string JobId, string? Reason = null) : ArcpPayload;
