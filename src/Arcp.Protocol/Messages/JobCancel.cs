using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Messages;

/// <summary><c>job.cancel</c> (in): cancels a job; the id may be in the payload or only on the envelope (read the payload first).</summary>
/// <param name="JobId">Job to cancel.</param>
/// <param name="Reason">Optional reason.</param>
public sealed record JobCancel(string? JobId = null, string? Reason = null) : ArcpPayload
{
    internal override ProtocolError? Validate() => PayloadChecks.NonEmpty(JobId, "job_id");
}
