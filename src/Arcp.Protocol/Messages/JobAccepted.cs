using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Leases;

namespace Arcp.Protocol.Messages;

/// <summary><c>job.accepted</c> (out): the job was registered.</summary>
/// <param name="JobId">Job id.</param>
/// <param name="Agent">Resolved <c>name@version</c>.</param>
/// <param name="Lease">Effective lease (<c>{}</c> when empty).</param>
/// <param name="AcceptedAt">Acceptance time.</param>
/// <param name="LeaseConstraints">Echo of the submitted constraints.</param>
/// <param name="Budget">Initial budget counters, when <c>cost.budget</c> is in the lease.</param>
/// <param name="Credentials">Provisioned credentials, only when non-empty.</param>
/// <param name="TraceId">Job trace id.</param>
/// <param name="ParentJobId">Parent job, for delegated jobs.</param>
/// <param name="DelegateId">Delegation id, for delegated jobs.</param>
/// <param name="ReplyTo">Id of the <c>job.submit</c> envelope.</param>
public sealed record JobAccepted(
    string JobId,
    string Agent,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Lease,
    DateTimeOffset AcceptedAt,
    LeaseConstraints? LeaseConstraints = null,
    IReadOnlyDictionary<string, decimal>? Budget = null,
    IReadOnlyList<Credential>? Credentials = null,
    string? TraceId = null,
    string? ParentJobId = null,
    string? DelegateId = null,
    string? ReplyTo = null) : ArcpPayload;
