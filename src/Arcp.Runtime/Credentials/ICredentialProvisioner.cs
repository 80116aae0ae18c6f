namespace Arcp.Runtime.Credentials;

/// <summary>
/// Issues and revokes the short-lived credentials a job's lease grants. Optional: a runtime without one issues no
/// credentials, and revocation has nothing to do.
/// </summary>
public interface ICredentialProvisioner
{
    /// <summary>Revokes a credential; revoking one that is already gone succeeds.</summary>
    Task RevokeAsync(string credentialId, CancellationToken cancellationToken);
}
