using Arcp.Runtime.Jobs;

namespace Arcp.Runtime.Credentials;

/// <summary>
/// Mints, rotates and revokes short-lived upstream credentials scoped to one job (§9.8). Registering one makes the
/// runtime advertise <c>provisioned_credentials</c>.
/// </summary>
public interface ICredentialProvisioner
{
    /// <summary>Issues the job's credentials, constrained to its lease.</summary>
    Task<IReadOnlyList<IssuedCredential>> IssueAsync(JobDefinition job, CancellationToken cancellationToken);

    /// <summary>Issues a new value for a credential; the previous value stops working.</summary>
    Task<IssuedCredential> RotateAsync(string jobId, string credentialId, CancellationToken cancellationToken);

    /// <summary>Revokes a credential at the upstream (idempotent).</summary>
    Task RevokeAsync(string credentialId, CancellationToken cancellationToken);
}

/// <summary>A credential as issued: the secret <paramref name="Value"/> is shown to the submitter only, and stored only protected.</summary>
public sealed record IssuedCredential(string Id, string Value, string Endpoint, string? Profile, IReadOnlyList<string>? CostBudget, IReadOnlyList<string>? ModelUse, DateTimeOffset? ExpiresAt);
