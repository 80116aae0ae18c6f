using System.Text.Json;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Events;
using Arcp.Protocol.Leases;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;

namespace Arcp.Runtime.Agents;

internal sealed partial class RuntimeJobContext
{
    /// <summary>
    /// Delegates work to a child job (§10): the child is its own job and orchestration, submitted in this job's session,
    /// with a lease that must be a strict subset of this one (§9.4: patterns covered, budget within what remains, expiry
    /// no later — a child without one inherits this job's). Emits a <c>delegate</c> event and returns the child's
    /// acceptance; a refused delegation throws <see cref="ArcpException"/> (<c>LEASE_SUBSET_VIOLATION</c>, ...).
    /// </summary>
    public override async Task<JobAccepted> DelegateAsync(string agent, JsonElement? input = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? leaseRequest = null, string? expiresAt = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(agent);
        if (_submitChild is null)
        {
            throw new ArcpException(ErrorCode.InternalError, "Delegation is not available on this worker.");
        }

        Authorize(LeaseNamespaces.AgentDelegate, agent);
        var submit = new JobSubmit(agent, input, leaseRequest, expiresAt is null ? null : new LeaseConstraints(expiresAt), ParentJobId: JobId);
        switch (await _submitChild(submit, CancellationToken).ConfigureAwait(false))
        {
            case SubmitOutcome.Rejected rejected:
                throw new ArcpException(rejected.Error);
            case SubmitOutcome.Accepted accepted:
                await EmitRawAsync(
                    new DelegateBody(accepted.Payload.Agent, accepted.Payload.JobId, accepted.Payload.JobId, input, leaseRequest, submit.LeaseConstraints),
                    progress: null).ConfigureAwait(false);
                return accepted.Payload;
            default:
                throw new InvalidOperationException("Unknown submit outcome.");
        }
    }
}
