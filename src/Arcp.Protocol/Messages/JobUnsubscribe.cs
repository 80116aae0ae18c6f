using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Messages;

/// <summary><c>job.unsubscribe</c> (in): stops forwarding a job's events; no reply.</summary>
/// <param name="JobId">Observed job.</param>
public sealed record JobUnsubscribe(string JobId) : ArcpPayload
{
    internal override ProtocolError? Validate() => PayloadChecks.NonEmpty(JobId, "job_id");
}
