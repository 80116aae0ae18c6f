using System.Text.Json;
using Arcp.Protocol.Agents;
using Arcp.Protocol.Envelopes;
using Arcp.Protocol.Errors;
using Arcp.Protocol.Leases;

namespace Arcp.Protocol.Messages;

/// <summary><c>job.submit</c> (in): creates a job.</summary>
/// <param name="Agent"><c>name</c> or <c>name@version</c> (§7.5 grammar).</param>
/// <param name="Input">Agent input, any JSON.</param>
/// <param name="LeaseRequest">Requested lease: namespace → patterns.</param>
/// <param name="LeaseConstraints">Optional constraints (<c>expires_at</c>).</param>
/// <param name="IdempotencyKey">Optional non-empty idempotency key.</param>
/// <param name="MaxRuntimeSec">Optional positive runtime limit.</param>
/// <param name="ParentJobId">Parent job for client-side delegation.</param>
public sealed record JobSubmit(
    string Agent,
    JsonElement? Input = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? LeaseRequest = null,
    LeaseConstraints? LeaseConstraints = null,
    string? IdempotencyKey = null,
    long? MaxRuntimeSec = null,
    string? ParentJobId = null) : ArcpPayload
{
    internal override ProtocolError? Validate()
    {
        if (!AgentRef.TryParse(Agent, out _))
        {
            return PayloadChecks.Invalid("agent", "payload.agent must be name or name@version with name [a-z0-9][a-z0-9._-]* and version [A-Za-z0-9.+_-]+.");
        }

        var error = PayloadChecks.First(
            PayloadChecks.NonEmpty(IdempotencyKey, "idempotency_key"),
            PayloadChecks.AtLeast(MaxRuntimeSec, 1, "max_runtime_sec"),
            PayloadChecks.NonEmpty(ParentJobId, "parent_job_id"));
        if (error is not null)
        {
            return error;
        }

        if (!Leases.LeaseRequest.TryParse(LeaseRequest, out _, out var leaseError))
        {
            return leaseError;
        }

        if (LeaseConstraints?.ExpiresAt is { } expiresAt && !LeaseExpiry.TryParseFormat(expiresAt, out _, out var expiryError))
        {
            return expiryError;
        }

        return null;
    }
}
