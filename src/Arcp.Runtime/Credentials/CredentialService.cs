using Arcp.Protocol.Json;
using Arcp.Protocol.Messages;
using Arcp.Runtime.Jobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arcp.Runtime.Credentials;

/// <summary>
/// The runtime side of §9.8: issue at acceptance (only with a provisioner and the feature negotiated), keep a ledger of
/// outstanding ids with values protected, show values only to the submitter's principal, and revoke on every terminal
/// path with retries. Values never reach a log.
/// </summary>
public sealed partial class CredentialService(ICredentialLedger ledger, ISecretProtector protector, TimeProvider timeProvider, ILogger<CredentialService> logger, ICredentialProvisioner? provisioner = null, IOptions<CredentialOptions>? options = null)
{
    /// <summary>Feature name.</summary>
    public const string Feature = "provisioned_credentials";

    /// <summary>Whether credentials can be provisioned here.</summary>
    public bool IsEnabled => provisioner is not null;

    /// <summary>
    /// Whether credentials may be offered on a connection (§14: only over authenticated, encrypted transports). A
    /// loopback connection counts as secure: its traffic never leaves the machine.
    /// </summary>
    public bool IsOfferedOn(bool secureTransport) => IsEnabled && (secureTransport || (options?.Value.AllowInsecureTransport ?? false));

    /// <summary>Issues and records the job's credentials; empty without a provisioner or the negotiated feature.</summary>
    public async Task<IReadOnlyList<Credential>> IssueAsync(JobDefinition job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (provisioner is null || !job.Features.Contains(Feature, StringComparer.Ordinal))
        {
            return [];
        }

        var issued = await provisioner.IssueAsync(job, cancellationToken).ConfigureAwait(false);
        var now = timeProvider.GetUtcNow();
        await ledger.RecordIssuedAsync(issued.Select(c => new CredentialLedgerEntry(job.JobId, c.Id, "scoped-bearer", protector.Protect(c.Value), now, c.ExpiresAt)
        {
            Endpoint = c.Endpoint,
            Profile = c.Profile,
            CostBudget = c.CostBudget,
            ModelUse = c.ModelUse,
        }).ToList(), cancellationToken).ConfigureAwait(false);
        LogIssued(logger, job.JobId, issued.Count);
        return issued.Select(ToWire).ToList();
    }

    /// <summary>The job's live credentials with their values, for its submitter (job.accepted replays, job.subscribed).</summary>
    public async Task<IReadOnlyList<Credential>> ReadForSubmitterAsync(string jobId, CancellationToken cancellationToken)
    {
        var credentials = new List<Credential>();
        foreach (var entry in await ledger.ListOutstandingAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                credentials.Add(ToWire(new IssuedCredential(entry.CredentialId, protector.Unprotect(entry.ProtectedValue), entry.Endpoint, entry.Profile, entry.CostBudget, entry.ModelUse, entry.ExpiresAt)));
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // Protected with another key (a restart without a configured key): the value is gone for good.
            }
        }

        return credentials;
    }

    /// <summary>
    /// True when <paramref name="job"/> asked for provisioned credentials and none were ever recorded for it (revoked
    /// ones count): its issue never completed, so it must not run, nor be replayed as accepted.
    /// </summary>
    public async Task<bool> IssueMissingAsync(JobDefinition job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return provisioner is not null
            && job.Features.Contains(Feature, StringComparer.Ordinal)
            && (await ledger.ListAsync(job.JobId, cancellationToken).ConfigureAwait(false)).Count == 0;
    }

    /// <summary>Ids of a job's outstanding credentials.</summary>
    public async Task<IReadOnlyList<string>> ListIdsAsync(string jobId, CancellationToken cancellationToken) =>
        (await ledger.ListOutstandingAsync(jobId, cancellationToken).ConfigureAwait(false)).Select(e => e.CredentialId).ToList();

    /// <summary>Rotates a credential (§9.8.2): the provisioner issues a new value and kills the old one; the ledger keeps the new one, protected.</summary>
    public async Task<IssuedCredential> RotateAsync(string jobId, string credentialId, CancellationToken cancellationToken)
    {
        var rotated = await (provisioner ?? throw new InvalidOperationException("No credential provisioner is configured.")).RotateAsync(jobId, credentialId, cancellationToken).ConfigureAwait(false);
        await ledger.RecordRotatedAsync(jobId, credentialId, protector.Protect(rotated.Value), cancellationToken).ConfigureAwait(false);
        return rotated;
    }

    /// <summary>Revokes every outstanding credential of a job: how many it revoked, and false when some are left (retry later).</summary>
    public async Task<(int Revoked, bool Complete)> RevokeOutstandingAsync(string jobId, CancellationToken cancellationToken)
    {
        if (provisioner is null)
        {
            return (0, true);
        }

        var complete = true;
        var revoked = 0;
        foreach (var entry in await ledger.ListOutstandingAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await provisioner.RevokeAsync(entry.CredentialId, cancellationToken).ConfigureAwait(false);
                await ledger.MarkRevokedAsync(jobId, entry.CredentialId, cancellationToken).ConfigureAwait(false);
                revoked++;
                LogRevoked(logger, jobId, entry.CredentialId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                complete = false;
                LogRevokeFailed(logger, ex.GetType().Name, jobId, entry.CredentialId);
                await ledger.RecordRevokeFailureAsync(jobId, entry.CredentialId, ex.GetType().Name + ": " + ex.Message, cancellationToken).ConfigureAwait(false);
            }
        }

        return (revoked, complete);
    }

    private static Credential ToWire(IssuedCredential c) => new(
        c.Id,
        "bearer",
        c.Value,
        c.Endpoint,
        c.Profile,
        c.CostBudget is null && c.ModelUse is null && c.ExpiresAt is null
            ? null
            : new CredentialConstraints(c.CostBudget, c.ModelUse, c.ExpiresAt is { } at ? ArcpTimestamp.Format(at) : null));

    [LoggerMessage(EventId = 2601, Level = LogLevel.Information, Message = "Issued {Count} credential(s) for job {JobId}")]
    private static partial void LogIssued(ILogger logger, string jobId, int count);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Information, Message = "Revoked credential {CredentialId} of job {JobId}")]
    private static partial void LogRevoked(ILogger logger, string jobId, string credentialId);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Warning, Message = "Revoking credential {CredentialId} of job {JobId} failed ({Error}); will retry")]
    private static partial void LogRevokeFailed(ILogger logger, string error, string jobId, string credentialId);
}
