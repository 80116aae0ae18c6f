using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Leases;

namespace Arcp.Protocol.Messages;

/// <summary><c>job.subscribed</c> (out): subscription acknowledged, with the job's authority descriptor.</summary>
/// <param name="JobId">Observed job.</param>
/// <param name="Agent">Resolved <c>name@version</c>.</param>
/// <param name="CurrentStatus">Current state.</param>
/// <param name="Lease">Effective lease.</param>
/// <param name="SubscribedFrom">Subscriber seq after which live events begin.</param>
/// <param name="Replayed">Whether at least one envelope is replayed.</param>
/// <param name="LeaseConstraints">Echoed constraints.</param>
/// <param name="Budget">Current budget counters.</param>
/// <param name="ParentJobId">Parent job.</param>
/// <param name="TraceId">Job trace id.</param>
/// <param name="Credentials">Only when the subscriber principal is the submitter.</param>
/// <param name="ReplyTo">Id of the <c>job.subscribe</c> envelope.</param>
public sealed record JobSubscribed(
    string JobId,
    string Agent,
    JobStatus CurrentStatus,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Lease,
    long SubscribedFrom,
    bool Replayed,
    LeaseConstraints? LeaseConstraints = null,
    IReadOnlyDictionary<string, decimal>? Budget = null,
    string? ParentJobId = null,
    string? TraceId = null,
    IReadOnlyList<Credential>? Credentials = null,
    string? ReplyTo = null) : ArcpPayload
{
    internal override ProtocolError? Validate() => PayloadChecks.AtLeast(SubscribedFrom, 0, "subscribed_from");
}
