namespace Arcp.Runtime.Jobs.Orchestration;

/// <summary>Output of the job orchestration: how the race ended (the job's own status lives in its state row).</summary>
/// <param name="JobId">The job.</param>
/// <param name="Ending">What decided the end: <c>agent</c>, <c>cancel</c>, <c>timeout</c>, <c>lease_expired</c> or <c>failed</c>.</param>
/// <param name="CredentialsRevoked">False when revocation gave up after its retries (the ledger keeps the failures).</param>
public sealed record JobOrchestrationResult(string JobId, string Ending, bool CredentialsRevoked);
