namespace Arcp.Runtime.Jobs;

/// <summary>What a job is, fixed at acceptance: never changes for the job's life.</summary>
/// <param name="JobId">The job id (<c>job_</c> + ULID), also the orchestration instance id.</param>
/// <param name="Principal">The submitter's authenticated principal.</param>
/// <param name="SubmitterSessionId">The session that submitted the job and holds cancel authority.</param>
/// <param name="Agent">The resolved agent reference, <c>name@version</c>.</param>
/// <param name="LeaseJson">The effective lease, a JSON object of namespace → patterns.</param>
/// <param name="LeaseConstraintsJson">The submitted lease constraints as JSON, when present.</param>
/// <param name="ExpiresAt">The lease expiry, when present.</param>
/// <param name="MaxRuntimeSec">The runtime cap, when present.</param>
/// <param name="TraceId">The job trace id, 32 lowercase hex.</param>
/// <param name="ParentJobId">The delegating job, when this is a child.</param>
/// <param name="CreatedAt">When the job was accepted.</param>
/// <param name="InitialBudget">Budget counters at acceptance, currency → amount.</param>
/// <param name="Features">Features the submitting session negotiated (gates <c>progress</c> and <c>result_chunk</c>).</param>
public sealed record JobDefinition(
    string JobId,
    string Principal,
    string SubmitterSessionId,
    string Agent,
    string LeaseJson,
    string? LeaseConstraintsJson,
    DateTimeOffset? ExpiresAt,
    int? MaxRuntimeSec,
    string TraceId,
    string? ParentJobId,
    DateTimeOffset CreatedAt,
    IReadOnlyDictionary<string, decimal> InitialBudget,
    IReadOnlyList<string> Features);
