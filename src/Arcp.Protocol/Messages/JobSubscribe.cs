using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;

namespace Arcp.Protocol.Messages;

/// <summary><c>job.subscribe</c> (in): attaches to a job's event stream.</summary>
/// <param name="JobId">Job to observe.</param>
/// <param name="FromEventSeq">Replay events after this owner-session seq (≥ 0).</param>
/// <param name="History">Whether to replay buffered history (default false).</param>
public sealed record JobSubscribe(string JobId, long? FromEventSeq = null, bool? History = null) : ArcpPayload
{
    internal override ProtocolError? Validate() => PayloadChecks.First(
        PayloadChecks.NonEmpty(JobId, "job_id"),
        PayloadChecks.AtLeast(FromEventSeq, 0, "from_event_seq"));
}
