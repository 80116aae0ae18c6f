using Arcp.Protocol.Leases;

namespace Arcp.Client.Jobs;

/// <summary>Optional parts of a <c>job.submit</c>.</summary>
/// <param name="LeaseRequest">Requested lease: namespace → patterns.</param>
/// <param name="LeaseConstraints">Lease constraints (<c>expires_at</c>).</param>
/// <param name="IdempotencyKey">
/// Idempotency key. When absent the client makes one up, so a submit re-sent after a dropped connection is answered
/// with the same job instead of starting a second one.
/// </param>
/// <param name="MaxRuntimeSec">Runtime limit in seconds.</param>
/// <param name="TraceId">W3C trace id (32 lowercase hex) to run the job under; minted when absent.</param>
public sealed record JobSubmitOptions(
    IReadOnlyDictionary<string, IReadOnlyList<string>>? LeaseRequest = null,
    LeaseConstraints? LeaseConstraints = null,
    string? IdempotencyKey = null,
    long? MaxRuntimeSec = null,
    string? TraceId = null);
