using Arcp.Runtime.Credentials;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Arcp.Runtime.Jobs.Orchestration;

/// <summary>
/// <c>RevokeCredentials</c>: revokes every credential of the job the ledger still lists as outstanding, marking each
/// revoked or recording the failure. Any failure fails the activity so the orchestration's durable retry policy runs
/// it again (already revoked entries are skipped). Without a provisioner no credentials were issued: nothing to do.
/// </summary>
public sealed partial class RevokeCredentialsActivity(
    ICredentialLedger ledger,
    ILogger<RevokeCredentialsActivity> logger,
    ICredentialProvisioner? provisioner = null) : TaskActivity<string, int>
{
    /// <inheritdoc />
    public override Task<int> RunAsync(TaskActivityContext context, string input) => RevokeAsync(input, CancellationToken.None);

    /// <summary>Revokes the job's outstanding credentials and returns how many this call revoked; the body shared by every host.</summary>
    public async Task<int> RevokeAsync(string jobId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        if (provisioner is null)
        {
            return 0;
        }

        var revoked = 0;
        var failed = 0;
        foreach (var entry in await ledger.ListOutstandingAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await provisioner.RevokeAsync(entry.CredentialId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed++;
                LogRevokeFailed(logger, ex, jobId, entry.CredentialId);
                await ledger.RecordRevokeFailureAsync(jobId, entry.CredentialId, ex.GetType().Name + ": " + ex.Message, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await ledger.MarkRevokedAsync(jobId, entry.CredentialId, cancellationToken).ConfigureAwait(false);
            revoked++;
        }

        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} credential(s) of job {jobId} could not be revoked yet.");
        }

        return revoked;
    }

    [LoggerMessage(EventId = 2421, Level = LogLevel.Warning, Message = "Revoking credential {CredentialId} of job {JobId} failed")]
    private static partial void LogRevokeFailed(ILogger logger, Exception exception, string jobId, string credentialId);
}
