namespace Arcp.Runtime.Credentials;

/// <summary>Outstanding credentials per job, so revocation survives restarts and can be retried until it succeeds.</summary>
public interface ICredentialLedger
{
    /// <summary>Records issued credentials (idempotent per credential id).</summary>
    Task RecordIssuedAsync(IReadOnlyList<CredentialLedgerEntry> entries, CancellationToken cancellationToken);

    /// <summary>All credentials of a job.</summary>
    Task<IReadOnlyList<CredentialLedgerEntry>> ListAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Credentials of a job not yet revoked.</summary>
    Task<IReadOnlyList<CredentialLedgerEntry>> ListOutstandingAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>Replaces a credential's protected value after a rotation.</summary>
    Task RecordRotatedAsync(string jobId, string credentialId, byte[] protectedValue, CancellationToken cancellationToken);

    /// <summary>Marks a credential revoked.</summary>
    Task MarkRevokedAsync(string jobId, string credentialId, CancellationToken cancellationToken);

    /// <summary>Counts a failed revocation attempt and keeps the error for operators (never the secret).</summary>
    Task RecordRevokeFailureAsync(string jobId, string credentialId, string error, CancellationToken cancellationToken);
}
